import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../../test/api-harness";
import {
  ADMIN,
  OWNER_PASSWORD,
  adminClient,
  appClient,
  failure,
  startHarness,
  signedIn,
} from "../../../test/api-harness";

const CHROME_LINUX =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
const FIREFOX_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0";

let h: Harness;
let acme: TenantFixture;

beforeAll(async () => {
  h = await startHarness();
  acme = await h.tenant("acme");
});
afterAll(async () => h?.stop());

async function signIn(userAgent: string, email = acme.ownerEmail, password = OWNER_PASSWORD) {
  const res = await appClient(h.url, undefined, { "user-agent": userAgent }).auth.login.mutate({
    email,
    password,
  });
  if (res.status !== "ok" || !res.accessToken || !res.refreshToken) throw new Error("login failed");
  return {
    accessToken: res.accessToken,
    refreshToken: res.refreshToken,
    client: appClient(h.url, res.accessToken, { "user-agent": userAgent }),
  };
}

describe("auth.sessions", () => {
  it("lists sign-ins with device and IP, ends one, ends the others, and only the user's own", async () => {
    const a = await signIn(CHROME_LINUX);
    const b = await signIn(FIREFOX_WINDOWS);
    const { sessions } = await a.client.auth.sessions.query();
    const current = sessions.find((s) => s.current);
    const other = sessions.find((s) => s.device === "Firefox on Windows");
    expect(current).toMatchObject({ device: "Chrome on Linux", userAgent: CHROME_LINUX });
    expect(other).toMatchObject({ current: false });
    expect(other?.lastUsedAt).toBeTruthy();
    expect(sessions.every((s) => "ip" in s)).toBe(true);

    // Malformed id: 400 with a message; the current one: refused; unknown: 404.
    const bad = await failure(a.client.auth.endSession.mutate({ sessionId: "nope" }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toMatch(/sessionId/);
    expect(
      (await failure(a.client.auth.endSession.mutate({ sessionId: current?.id ?? "" }))).code,
    ).toBe("BAD_REQUEST");
    expect(
      (await failure(a.client.auth.endSession.mutate({ sessionId: "0".repeat(32) }))).code,
    ).toBe("NOT_FOUND");

    // Ending b: its refresh is refused and its access token stops.
    expect(await a.client.auth.endSession.mutate({ sessionId: other?.id ?? "" })).toEqual({
      ok: true,
    });
    expect(
      (await failure(appClient(h.url).auth.refresh.mutate({ refreshToken: b.refreshToken }))).code,
    ).toBe("UNAUTHORIZED");
    expect((await failure(b.client.auth.me.query())).reason).toBe("SESSION_REVOKED");
    expect((await a.client.auth.sessions.query()).sessions.map((s) => s.id)).not.toContain(
      other?.id,
    );

    // Another user cannot end a's session (404: not told apart from an unknown one).
    await acme.client.members.create.mutate({
      email: "mallory@example.test",
      name: "Mallory",
      role: "admin",
      password: "Quiet-Harbour-2026-ok!",
    });
    const m = await signIn(CHROME_LINUX, "mallory@example.test", "Quiet-Harbour-2026-ok!");
    expect((await m.client.auth.sessions.query()).sessions).toHaveLength(1);
    expect(
      (await failure(m.client.auth.endSession.mutate({ sessionId: current?.id ?? "" }))).code,
    ).toBe("NOT_FOUND");
    await a.client.auth.me.query();

    // End all others: c ends, a stays.
    const c = await signIn(FIREFOX_WINDOWS);
    const { ended } = await a.client.auth.endOtherSessions.mutate();
    expect(ended).toBeGreaterThanOrEqual(1);
    expect((await failure(c.client.auth.me.query())).reason).toBe("SESSION_REVOKED");
    expect(
      (await failure(appClient(h.url).auth.refresh.mutate({ refreshToken: c.refreshToken }))).code,
    ).toBe("UNAUTHORIZED");
    const left = (await a.client.auth.sessions.query()).sessions;
    expect(left).toEqual([expect.objectContaining({ id: current?.id, current: true })]);
    await a.client.auth.me.query();
  });

  it("lists a session stored before device fields existed as an unknown device", async () => {
    const a = await signIn(CHROME_LINUX);
    await h.tenancy.withTenant(acme.id, async ({ models }) => {
      await models.Session.collection.insertOne({
        userId: (await models.User.findOne({ email: acme.ownerEmail }).lean())?._id,
        tokenHash: "f".repeat(64),
        familyId: "a".repeat(32),
        expiresAt: new Date(Date.now() + 3600_000),
        revokedAt: null,
        replacedBy: null,
      });
    });
    const old = (await a.client.auth.sessions.query()).sessions.find(
      (s) => s.id === "a".repeat(32),
    );
    expect(old).toMatchObject({ device: "Unknown device", ip: null, current: false });
  });
});

describe("admin.auth.sessions", () => {
  it("lists the super admin's sessions and ends the others", async () => {
    const second = await signedIn(adminClient(h.url).auth.login.mutate(ADMIN));
    const admin = adminClient(h.url, h.adminToken);
    const { sessions } = await admin.auth.sessions.query();
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    expect((await failure(admin.auth.endSession.mutate({ sessionId: "x" }))).code).toBe(
      "BAD_REQUEST",
    );
    await admin.auth.endOtherSessions.mutate();
    expect(
      (await failure(adminClient(h.url, second.accessToken ?? "").auth.me.query())).reason,
    ).toBe("SESSION_REVOKED");
    expect(
      (
        await failure(
          adminClient(h.url).auth.refresh.mutate({ refreshToken: second.refreshToken ?? "" }),
        )
      ).code,
    ).toBe("UNAUTHORIZED");
    expect((await admin.auth.sessions.query()).sessions).toHaveLength(1);
  });
});
