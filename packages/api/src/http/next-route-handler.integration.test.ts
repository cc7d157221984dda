// The handler apps/web mounts at app/api/trpc/[trpc]/route.ts, driven with real fetch Requests:
// tokens travel only as httpOnly cookies, and cookie-authenticated mutations need the CSRF header.
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../test/api-harness";
import { ADMIN, OWNER_PASSWORD, startHarness } from "../../test/api-harness";
import { createNextRouteHandler } from "./next-route-handler";

let h: Harness;
let acme: TenantFixture;
let handler: (req: Request) => Promise<Response>;
let adminHandler: (req: Request) => Promise<Response>;
const ORIGIN = "http://app.tenantry.test";

beforeAll(async () => {
  h = await startHarness({ allowedOrigins: [ORIGIN] });
  acme = await h.tenant("acme");
  handler = createNextRouteHandler({ services: h.services, endpoint: "/api/trpc" });
  adminHandler = createNextRouteHandler({
    services: async () => h.services,
    endpoint: "/api/trpc",
    surface: "admin",
  });
});
afterAll(async () => h?.stop());

function call(
  target: (req: Request) => Promise<Response>,
  path: string,
  opts: {
    input?: unknown;
    mutation?: boolean;
    cookie?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const url = new URL(`/api/trpc/${path}`, ORIGIN);
  const headers = new Headers({ host: "app.tenantry.test", ...(opts.headers ?? {}) });
  if (opts.cookie) headers.set("cookie", opts.cookie);
  if (opts.mutation) {
    headers.set("content-type", "application/json");
    return target(
      new Request(url, {
        method: "POST",
        headers,
        body: JSON.stringify(superjson.serialize(opts.input ?? {})),
      }),
    );
  }
  if (opts.input !== undefined)
    url.searchParams.set("input", JSON.stringify(superjson.serialize(opts.input)));
  return target(new Request(url, { headers }));
}

const csrf = { "x-tenantry-csrf": "1", origin: ORIGIN };
const cookieHeader = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

describe("Next route handler (browser cookies)", () => {
  it("sets httpOnly SameSite=Lax cookies on login and keeps tokens out of the body", async () => {
    const res = await call(handler, "auth.login", {
      mutation: true,
      input: { email: acme.ownerEmail, password: OWNER_PASSWORD },
      headers: csrf,
    });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    for (const c of cookies) {
      expect(c).toMatch(/^tenantry_(at|rt)=/);
      expect(c).toContain("HttpOnly");
      expect(c).toContain("SameSite=Lax");
      expect(c).not.toContain("Secure"); // cookies.secure is false in this test config
    }
    const body = superjson.deserialize<{
      status: string;
      accessToken: unknown;
      refreshToken: unknown;
    }>(((await res.json()) as { result: { data: never } }).result.data);
    expect(body).toMatchObject({ status: "ok", accessToken: null, refreshToken: null });

    const jar = cookieHeader(res);
    const me = await call(handler, "auth.me", { cookie: jar });
    expect(me.status).toBe(200);
  });

  it("refuses cookie-authenticated mutations without the CSRF header or from a foreign origin", async () => {
    const login = await call(handler, "auth.login", {
      mutation: true,
      input: { email: acme.ownerEmail, password: OWNER_PASSWORD },
      headers: csrf,
    });
    const jar = cookieHeader(login);
    const note = { title: "csrf", body: "", tags: [] };
    const noHeader = await call(handler, "notes.create", {
      mutation: true,
      cookie: jar,
      input: note,
    });
    expect(noHeader.status).toBe(403);
    expect(await noHeader.text()).toContain("CSRF");
    const foreign = await call(handler, "notes.create", {
      mutation: true,
      cookie: jar,
      input: note,
      headers: { "x-tenantry-csrf": "1", origin: "http://evil.test" },
    });
    expect(foreign.status).toBe(403);
    // Login itself is a mutation: no forged logins from another site either.
    const forgedLogin = await call(handler, "auth.login", {
      mutation: true,
      input: { email: acme.ownerEmail, password: OWNER_PASSWORD },
    });
    expect(forgedLogin.status).toBe(403);
    const ok = await call(handler, "notes.create", {
      mutation: true,
      cookie: jar,
      input: note,
      headers: csrf,
    });
    expect(ok.status).toBe(200);
    // Bearer-authenticated programs are not subject to it (no ambient credentials).
    const bearer = await call(handler, "notes.create", {
      mutation: true,
      input: note,
      headers: { authorization: `Bearer ${acme.token}` },
    });
    expect(bearer.status).toBe(200);
  });

  it("refreshes from the refresh cookie and clears cookies on logout", async () => {
    const login = await call(handler, "auth.login", {
      mutation: true,
      input: { email: acme.ownerEmail, password: OWNER_PASSWORD },
      headers: csrf,
    });
    const jar = cookieHeader(login);
    const refreshed = await call(handler, "auth.refresh", {
      mutation: true,
      cookie: jar,
      input: {},
      headers: csrf,
    });
    expect(refreshed.status).toBe(200);
    const newJar = cookieHeader(refreshed);
    expect(newJar).toMatch(/tenantry_at=.+; tenantry_rt=.+/);
    expect(newJar).not.toBe(jar);
    const out = await call(handler, "auth.logout", {
      mutation: true,
      cookie: newJar,
      input: {},
      headers: csrf,
    });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().every((c) => c.includes("Max-Age=0"))).toBe(true);
    expect((await call(handler, "auth.me", { cookie: newJar })).status).toBe(401);
  });

  it("mounts the admin router with its own cookie names", async () => {
    const res = await call(adminHandler, "auth.login", {
      mutation: true,
      input: ADMIN,
      headers: csrf,
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().map((c) => c.split("=")[0])).toEqual([
      "tenantry_admin_at",
      "tenantry_admin_rt",
    ]);
    const list = await call(adminHandler, "tenants.list", { cookie: cookieHeader(res) });
    expect(list.status).toBe(200);
    // The tenant app's handler has no admin procedures at all.
    expect((await call(handler, "tenants.list", { cookie: cookieHeader(res) })).status).toBe(404);
  });
});
