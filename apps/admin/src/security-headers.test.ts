// The header set next.config bakes into a build, for each way the app is built.
import { describe, expect, it } from "vitest";
import config, { securityHeaders } from "../next.config";

const get = (headers: { key: string; value: string }[], key: string) => headers.find((h) => h.key === key)?.value;

describe("admin security headers", () => {
  it("a production build pins https and forbids framing, eval and foreign form targets", () => {
    const h = securityHeaders({ NODE_ENV: "production" });
    expect(get(h, "Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
    const csp = get(h, "Content-Security-Policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' http://127.0.0.1:* http://localhost:*");
    expect(csp).toContain("script-src 'self' 'unsafe-inline';");
    expect(csp).not.toContain("unsafe-eval");
    expect(get(h, "X-Frame-Options")).toBe("DENY");
    expect(get(h, "X-Content-Type-Options")).toBe("nosniff");
    expect(get(h, "Referrer-Policy")).toBe("strict-origin-when-cross-origin");
  });

  it("no HSTS over plain local http (INSECURE_COOKIES=true) or in development", () => {
    expect(get(securityHeaders({ NODE_ENV: "production", INSECURE_COOKIES: "true" }), "Strict-Transport-Security")).toBeUndefined();
    const dev = securityHeaders({ NODE_ENV: "development" });
    expect(get(dev, "Strict-Transport-Security")).toBeUndefined();
    expect(get(dev, "Content-Security-Policy")).toContain("'unsafe-eval'"); // React refresh in dev
  });

  it("applies to every path", async () => {
    const rules = (await config.headers?.()) ?? [];
    expect(rules.map((r) => r.source)).toEqual(["/:path*"]);
  });
});

describe("admin form-action", () => {
  it("allows exactly the web app's origin when WEB_URL is known at build time", () => {
    const csp = get(securityHeaders({ NODE_ENV: "production", WEB_URL: "https://app.example.com/some/path" }), "Content-Security-Policy");
    expect(csp).toMatch(/form-action 'self' https:\/\/app\.example\.com$/);
    expect(csp).not.toContain("127.0.0.1");
  });
});
