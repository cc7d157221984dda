// The header set both apps' next.config bakes into a build, for each way an app is built. Each
// app's own test checks its form-action and that the set applies to every path.
import { describe, expect, it } from "vitest";

import { securityHeaders } from "./security-headers";

const get = (headers: { key: string; value: string }[], key: string) =>
  headers.find((h) => h.key === key)?.value;

describe("security headers", () => {
  it("a production build pins https and forbids framing and eval", () => {
    const h = securityHeaders({ NODE_ENV: "production" });
    expect(get(h, "Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
    const csp = get(h, "Content-Security-Policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self' 'unsafe-inline';");
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
});
