// The header set both apps' next.config bakes into a build, for each way an app is built. Each
// app's own test checks its form-action and that the set applies to every path.
import { describe, expect, it } from "vitest";

import { contentSecurityPolicy, securityHeaders, withPagePolicy } from "./security-headers";

const get = (headers: { key: string; value: string }[], key: string) =>
  headers.find((h) => h.key === key)?.value;

describe("security headers", () => {
  it("a production build pins https and forbids framing and eval", () => {
    const h = securityHeaders({ NODE_ENV: "production" });
    expect(get(h, "Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
    const csp = get(h, "Content-Security-Policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    // Baked for API answers, files and redirects: no inline script at all.
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain("unsafe-eval");
    expect(get(h, "X-Frame-Options")).toBe("DENY");
    expect(get(h, "X-Content-Type-Options")).toBe("nosniff");
    expect(get(h, "Referrer-Policy")).toBe("strict-origin-when-cross-origin");
  });

  it("no HSTS over plain local http (INSECURE_COOKIES=true) or in development", () => {
    expect(
      get(
        securityHeaders({ NODE_ENV: "production", INSECURE_COOKIES: "true" }),
        "Strict-Transport-Security",
      ),
    ).toBeUndefined();
    const dev = securityHeaders({ NODE_ENV: "development" });
    expect(get(dev, "Strict-Transport-Security")).toBeUndefined();
    expect(get(dev, "Content-Security-Policy")).toContain("'unsafe-eval'"); // React refresh in dev
  });

  it("form targets: 'self' alone, or 'self' plus the sources an app names", () => {
    expect(get(securityHeaders({ NODE_ENV: "production" }), "Content-Security-Policy")).toMatch(
      /form-action 'self'$/,
    );
    expect(
      get(
        securityHeaders({ NODE_ENV: "production" }, { formAction: "https://app.example.com" }),
        "Content-Security-Policy",
      ),
    ).toMatch(/form-action 'self' https:\/\/app\.example\.com$/);
  });

  it("a page's policy allows scripts with its nonce only, never 'unsafe-inline'", () => {
    const csp = contentSecurityPolicy({ NODE_ENV: "production" }, { nonce: "abc123==" });
    expect(csp).toContain("script-src 'self' 'nonce-abc123==' 'strict-dynamic';");
    expect(csp.match(/script-src [^;]*/)?.[0]).not.toContain("unsafe-inline");
  });

  it("withPagePolicy puts a fresh nonce policy on a copy of the request headers", () => {
    const original = new Headers({ cookie: "a=1" });
    const a = withPagePolicy(original, { NODE_ENV: "production" }, { formAction: "https://x.io" });
    const b = withPagePolicy(original, { NODE_ENV: "production" });
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(a.policy)?.[1] ?? "";
    expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    expect(a.policy).not.toBe(b.policy);
    expect(a.requestHeaders.get("content-security-policy")).toBe(a.policy);
    expect(a.requestHeaders.get("cookie")).toBe("a=1");
    expect(original.has("content-security-policy")).toBe(false);
    expect(a.policy).toMatch(/form-action 'self' https:\/\/x\.io$/);
  });
});
