// Server-side callers (what apps use in server components and server actions): same procedures,
// same cookies, no HTTP hop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../test/api-harness";
import { OWNER_PASSWORD, startHarness } from "../test/api-harness";
import { createAppCaller } from "./callers";

let h: Harness;
let acme: TenantFixture;

beforeAll(async () => {
  h = await startHarness();
  acme = await h.tenant("acme");
});
afterAll(async () => h?.stop());

describe("createAppCaller", () => {
  it("signs in through cookies and calls procedures with them", async () => {
    const resHeaders = new Headers();
    const anon = createAppCaller({ services: h.services, resHeaders, tokenTransport: "cookie" });
    const login = await anon.auth.login({ email: acme.ownerEmail, password: OWNER_PASSWORD });
    expect(login).toMatchObject({ status: "ok", accessToken: null });
    const cookie = resHeaders
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const caller = createAppCaller({
      services: h.services,
      headers: new Headers({ cookie }),
      tokenTransport: "cookie",
    });
    expect((await caller.auth.me()).tenant.slug).toBe("acme");
    expect(
      (await caller.notes.create({ title: "from a server action", body: "", tags: [] })).title,
    ).toBe("from a server action");
  });

  it("refuses with the same typed errors as over HTTP", async () => {
    const caller = createAppCaller({
      services: h.services,
      headers: new Headers({ cookie: "tenantry_at=forged" }),
    });
    await expect(caller.notes.list()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      cause: { code: "TOKEN_INVALID" },
    });
    const bearer = createAppCaller({
      services: h.services,
      headers: new Headers({ authorization: `Bearer ${acme.token}` }),
    });
    await expect(bearer.notes.get({ id: "nope" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
