// The header set this app's next.config bakes into a build (the shared part is tested in
// packages/ui): the web app posts forms to itself only, and the set applies to every path.
import { describe, expect, it } from "vitest";
import config, { securityHeaders } from "../next.config";

const get = (headers: { key: string; value: string }[], key: string) =>
  headers.find((h) => h.key === key)?.value;

describe("web security headers", () => {
  it("a production build forbids foreign form targets", () => {
    const csp = get(securityHeaders({ NODE_ENV: "production" }), "Content-Security-Policy") ?? "";
    expect(csp).toMatch(/form-action 'self'$/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("applies to every path", async () => {
    const rules = (await config.headers?.()) ?? [];
    expect(rules.map((r) => r.source)).toEqual(["/:path*"]);
  });
});
