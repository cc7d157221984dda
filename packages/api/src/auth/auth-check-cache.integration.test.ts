// The per-instance auth-check cache (authCheckCacheMs): it saves the per-call user + session
// lookups, yet a write through the same instance is refused on the very next call and one through
// another instance within the TTL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, Instance, TenantFixture } from "../../test/api-harness";
import { appClient, failure, startHarness, startInstance } from "../../test/api-harness";

const TTL_MS = 1000;
let h: Harness;
let second: Instance;
let acme: TenantFixture;
let n = 0;

beforeAll(async () => {
  h = await startHarness({ authCheckCacheMs: TTL_MS });
  second = await startInstance(h.uri, h.controlDbName, { authCheckCacheMs: TTL_MS });
  acme = await h.tenant("acme");
});
afterAll(async () => {
  await second?.close();
  await h?.stop();
});

/** A fresh member of acme, signed in; returns its id and access token. */
async function member(role: "member" | "admin" = "member") {
  n++;
  const email = `m${n}@acme.test`;
  const password = `Member-${n}-Pass-2026!`;
  const created = await acme.client.members.create.mutate({ email, name: `M${n}`, role, password });
  const login = await appClient(h.url).auth.login.mutate({ email, password });
  if (login.status !== "ok" || !login.accessToken) throw new Error("member login failed");
  return { id: created.member.id, token: login.accessToken };
}

/** Polls until a call fails; returns the failure and how long after `since` that call started. */
async function refusedWithin(call: () => Promise<unknown>, since: number, limitMs: number) {
  while (Date.now() - since < limitMs) {
    const startedAt = Date.now();
    // failure() throws when the call succeeds: then poll again.
    const err = await failure(call()).catch(() => null);
    if (err) return { after: startedAt - since, err };
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`still accepted after ${limitMs} ms`);
}

describe("auth-check cache", () => {
  it("answers repeated calls of one session from the cache (one database check per TTL)", async () => {
    const m = await member();
    const client = appClient(h.url, m.token);
    const before = h.services.authChecks.stats();
    for (let i = 0; i < 5; i++) await client.notes.list.query({ limit: 5 });
    const after = h.services.authChecks.stats();
    expect(after.hits - before.hits).toBeGreaterThanOrEqual(3);
  });

  it("refuses a logged-out session on the very next call through the same instance", async () => {
    const m = await member();
    const client = appClient(h.url, m.token);
    await client.notes.list.query();
    await client.notes.list.query(); // cached now
    expect(await client.auth.logout.mutate({})).toEqual({ ok: true, revoked: true });
    expect(await failure(client.notes.list.query())).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "SESSION_REVOKED",
    });
  });

  it("refuses a deactivated member, and applies a demotion, on the very next call through the same instance", async () => {
    const m = await member("admin");
    const client = appClient(h.url, m.token);
    await client.members.list.query();
    await client.members.list.query();
    await acme.client.members.changeRole.mutate({ userId: m.id, role: "member" });
    expect(await failure(client.members.list.query())).toMatchObject({
      code: "FORBIDDEN",
      reason: "FORBIDDEN_ROLE",
    });
    await client.notes.list.query();
    await acme.client.members.deactivate.mutate({ userId: m.id });
    expect(await failure(client.notes.list.query())).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "SESSION_REVOKED",
    });
  });

  it("a second instance refuses a session revoked elsewhere within the TTL", async () => {
    const m = await member();
    const onSecond = appClient(second.url, m.token);
    await onSecond.notes.list.query();
    await onSecond.notes.list.query(); // cached on the second instance
    expect(await appClient(h.url, m.token).auth.logout.mutate({})).toEqual({
      ok: true,
      revoked: true,
    });
    const revokedAt = Date.now();
    const { after, err } = await refusedWithin(
      () => onSecond.notes.list.query(),
      revokedAt,
      TTL_MS + 2000,
    );
    expect(err).toMatchObject({ code: "UNAUTHORIZED", reason: "SESSION_REVOKED" });
    expect(after).toBeLessThanOrEqual(TTL_MS + 250);
  });

  it("a second instance refuses a member deactivated elsewhere within the TTL", async () => {
    const m = await member();
    const onSecond = appClient(second.url, m.token);
    await onSecond.notes.list.query();
    await onSecond.notes.list.query();
    await acme.client.members.deactivate.mutate({ userId: m.id });
    const deactivatedAt = Date.now();
    const { after, err } = await refusedWithin(
      () => onSecond.notes.list.query(),
      deactivatedAt,
      TTL_MS + 2000,
    );
    expect(err).toMatchObject({ code: "UNAUTHORIZED", reason: "SESSION_REVOKED" });
    expect(after).toBeLessThanOrEqual(TTL_MS + 250);
  });

  it("checks the database on every call when authCheckCacheMs is 0", async () => {
    const third = await startInstance(h.uri, h.controlDbName, { authCheckCacheMs: 0 });
    try {
      const m = await member();
      const onThird = appClient(third.url, m.token);
      await onThird.notes.list.query();
      await onThird.notes.list.query();
      expect(third.services.authChecks.stats().hits).toBe(0);
      await appClient(h.url, m.token).auth.logout.mutate({});
      expect(await failure(onThird.notes.list.query())).toMatchObject({
        reason: "SESSION_REVOKED",
      });
    } finally {
      await third.close();
    }
  });
});
