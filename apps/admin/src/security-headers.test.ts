// The header set this app's next.config bakes into a build (the shared part is tested in
// packages/ui): the admin app may post the impersonation hand-off to the web app's origin.
import { describe, expect, it } from "vitest";
import config, { securityHeaders } from "../next.config";

const get = (headers: { key: string; value: string }[], key: string) =>
  headers.find((h) => h.key === key)?.value;

describe("admin security headers", () => {
  it("a local build (no WEB_URL) allows loopback form targets only", () => {
    const csp = get(securityHeaders({ NODE_ENV: "production" }), "Content-Security-Policy") ?? "";
    expect(csp).toContain("form-action 'self' http://127.0.0.1:* http://localhost:*");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("applies to every path", async () => {
    const rules = (await config.headers?.()) ?? [];
    expect(rules.map((r) => r.source)).toEqual(["/:path*"]);
  });
});

describe("admin form-action", () => {
  it("allows exactly the web app's origin when WEB_URL is known at build time", () => {
    const csp = get(
      securityHeaders({ NODE_ENV: "production", WEB_URL: "https://app.example.com/some/path" }),
      "Content-Security-Policy",
    );
    expect(csp).toMatch(/form-action 'self' https:\/\/app\.example\.com$/);
    expect(csp).not.toContain("127.0.0.1");
  });
});
