import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

import { createSessionProxy } from "./session-proxy";

const proxy = createSessionProxy({
  surface: "admin",
  publicPaths: ["/login"],
  policyEnv: () => ({ NODE_ENV: "production" }),
});

const request = (path: string, cookie?: string) =>
  new NextRequest(new URL(path, "http://localhost:3001"), {
    headers: cookie ? { cookie } : {},
  });

describe("session proxy", () => {
  it("sends a signed-out visitor to the login page, keeping where they were going", () => {
    const res = proxy(request("/tenants?page=2"));
    expect(res.headers.get("location")).toBe(
      "http://localhost:3001/login?next=%2Ftenants%3Fpage%3D2",
    );
  });

  it("sends a visitor with only this surface's refresh cookie through the refresh page", () => {
    const res = proxy(request("/tenants", "tenantry_admin_rt=r"));
    expect(res.headers.get("location")).toBe(
      "http://localhost:3001/session/refresh?next=%2Ftenants",
    );
  });

  it("does not take the other surface's cookies for a session", () => {
    const res = proxy(request("/tenants", "tenantry_at=a; tenantry_rt=r"));
    expect(res.headers.get("location")).toMatch(/\/login\?next=/);
  });

  it("lets a signed-in page through with a nonce policy, and public pages without a session", () => {
    const page = proxy(request("/tenants", "tenantry_admin_at=a"));
    expect(page.headers.get("location")).toBeNull();
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
    expect(proxy(request("/login")).headers.get("location")).toBeNull();
  });

  it("drops a foreign next= from the login page", () => {
    const res = proxy(request("/login?next=//evil.example"));
    expect(res.headers.get("location")).toBe("http://localhost:3001/login");
  });
});
