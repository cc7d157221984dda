import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_RATE_LIMIT, RateLimited } from "../../tenancy-port";
import type { Harness, TenantFixture } from "../../../test/api-harness";
import {
  OWNER_PASSWORD,
  appClient,
  failure,
  startHarness,
  startInstance,
} from "../../../test/api-harness";

let h: Harness;
let acme: TenantFixture;
let globex: TenantFixture;
const anon = () => appClient(h.url);

beforeAll(async () => {
  h = await startHarness({
    rateLimit: { windowMs: 60_000, maxFailuresPerEmail: 4, maxFailuresPerIp: 1000 },
  });
  [acme, globex] = await Promise.all([h.tenant("acme"), h.tenant("globex")]);
  // One person in both tenants, same password in one, different in the other.
  await acme.client.members.create.mutate({
    email: "both@example.test",
    name: "Both",
    role: "member",
    password: "Shared-Pass-2026-ok!",
  });
  await globex.client.members.create.mutate({
    email: "both@example.test",
    name: "Both",
    role: "admin",
    password: "Other-Pass-2026-ok!",
  });
});
afterAll(async () => h?.stop());

describe("auth.login", () => {
  it("signs in with email and password and returns bearer tokens for programs", async () => {
    const res = await anon().auth.login.mutate({
      email: acme.ownerEmail.toUpperCase(),
      password: OWNER_PASSWORD,
    });
    expect(res.status).toBe("ok");
    if (res.status !== "ok") return;
    expect(res.accessToken).toMatch(/^ey/);
    expect(res.refreshToken).toMatch(/^[a-f0-9]{24}\./);
    expect(res.user).toMatchObject({ email: acme.ownerEmail, role: "owner" });
    expect(res.tenant).toMatchObject({ slug: "acme", id: acme.id });
    const claims = JSON.parse(
      Buffer.from(res.accessToken?.split(".")[1] ?? "", "base64url").toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      sub: res.user.id,
      tid: acme.id,
      role: "owner",
      iss: "tenantry-test",
      aud: "tenantry-api",
    });
    expect(typeof claims.sid).toBe("string");
    expect((claims.exp as number) - (claims.iat as number)).toBe(15 * 60);
  });

  it("answers an email in several tenants with a picker, then signs in to the chosen one", async () => {
    const pick = await anon().auth.login.mutate({
      email: "both@example.test",
      password: "Shared-Pass-2026-ok!",
    });
    expect(pick).toEqual({
      status: "chooseTenant",
      tenants: expect.arrayContaining([
        { slug: "acme", name: "Tenant acme" },
        { slug: "globex", name: "Tenant globex" },
      ]),
    });
    // The same list whichever tenant's password it was: the answer does not say which matched.
    const pick2 = await anon().auth.login.mutate({
      email: "both@example.test",
      password: "Other-Pass-2026-ok!",
    });
    expect(pick2).toEqual(pick);
    const chosen = await anon().auth.login.mutate({
      email: "both@example.test",
      password: "Other-Pass-2026-ok!",
      tenantSlug: "globex",
    });
    expect(chosen).toMatchObject({
      status: "ok",
      tenant: { slug: "globex" },
      user: { role: "admin" },
    });
    const wrongTenant = await failure(
      anon().auth.login.mutate({
        email: "both@example.test",
        password: "Other-Pass-2026-ok!",
        tenantSlug: "acme",
      }),
    );
    expect(wrongTenant.reason).toBe("INVALID_CREDENTIALS");
  });

  it("answers unknown email and wrong password identically, in message and in time", async () => {
    // Real argon2id cost on this instance, so skipping the hash for unknown emails would show.
    const heavy = await startInstance(
      h.uri,
      h.controlDbName,
      {},
      { passwordHashing: { memoryCost: 16_384, timeCost: 2, parallelism: 1 } },
    );
    try {
      await heavy.tenancy.lifecycle.provision({
        slug: "slowhash",
        name: "Slow",
        owner: { email: "owner@slowhash.test", name: "O", password: OWNER_PASSWORD },
      });
      const client = appClient(heavy.url);
      const timed = async (email: string) => {
        const t0 = performance.now();
        const f = await failure(
          client.auth.login.mutate({ email, password: "Not-The-Password-1!" }),
        );
        return { f, ms: performance.now() - t0 };
      };
      const hashTimes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await heavy.services.passwords.burn("x");
        hashTimes.push(performance.now() - t0);
      }
      const unknown: number[] = [];
      const wrong: number[] = [];
      let u, w;
      for (let i = 0; i < 5; i++) {
        u = await timed(`ghost${i}@nowhere.test`);
        w = await timed("owner@slowhash.test");
        unknown.push(u.ms);
        wrong.push(w.ms);
      }
      expect(u?.f).toMatchObject({
        code: "UNAUTHORIZED",
        reason: "INVALID_CREDENTIALS",
        httpStatus: 401,
      });
      expect(w?.f.message).toBe(u?.f.message);
      expect(w?.f.code).toBe(u?.f.code);
      expect(w?.f.reason).toBe(u?.f.reason);
      const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;
      // Lenient on purpose (a shared 2-core machine is noisy): skipping the verification for
      // unknown emails would make them an order of magnitude faster, which this still catches.
      const hashMs = Math.min(...hashTimes);
      const [mu, mw] = [median(unknown), median(wrong)];
      expect(mu).toBeGreaterThan(0.5 * hashMs);
      expect(mw).toBeGreaterThan(0.5 * hashMs);
      expect(Math.abs(mu - mw)).toBeLessThan(Math.max(30, 0.5 * Math.max(mu, mw)));
    } finally {
      await heavy.close();
    }
  });

  it("rate-limits failures per email across instances, with a retry time", async () => {
    const other = await startInstance(h.uri, h.controlDbName, {
      rateLimit: { windowMs: 60_000, maxFailuresPerEmail: 4, maxFailuresPerIp: 1000 },
    });
    try {
      const email = "target@acme.test";
      await acme.client.members.create.mutate({
        email,
        name: "Target",
        role: "member",
        password: "Aimed-Pass-2026-ok!",
      });
      for (let i = 0; i < 2; i++)
        await failure(anon().auth.login.mutate({ email, password: "wrong-guess-123456" }));
      for (let i = 0; i < 2; i++)
        await failure(
          appClient(other.url).auth.login.mutate({ email, password: "wrong-guess-123456" }),
        );
      const limited = await failure(
        appClient(other.url).auth.login.mutate({ email, password: "Aimed-Pass-2026-ok!" }),
      );
      expect(limited).toMatchObject({
        code: "TOO_MANY_REQUESTS",
        reason: "RATE_LIMITED",
        httpStatus: 429,
      });
      expect(limited.data.retryAfterSeconds).toBeGreaterThan(0);
      expect(limited.data.retryAfterSeconds).toBeLessThanOrEqual(60);
      // Limited on the first instance as well: the counter lives in the control database.
      expect(
        (await failure(anon().auth.login.mutate({ email, password: "Aimed-Pass-2026-ok!" })))
          .reason,
      ).toBe("RATE_LIMITED");
    } finally {
      await other.close();
    }
  });
});

describe("per-IP rate limit", () => {
  it("limits one address trying many emails, on every instance", async () => {
    const strict = await startInstance(h.uri, h.controlDbName, {
      rateLimit: { windowMs: 60_000, maxFailuresPerEmail: 100, maxFailuresPerIp: 3 },
    });
    try {
      const client = appClient(strict.url);
      for (let i = 0; i < 3; i++)
        await failure(
          client.auth.login.mutate({
            email: `spray${i}@nowhere.test`,
            password: "guess-guess-guess",
          }),
        );
      const limited = await failure(
        client.auth.login.mutate({ email: acme.ownerEmail, password: OWNER_PASSWORD }),
      );
      expect(limited).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "RATE_LIMITED" });
      expect(limited.message).toMatch(/try again in \d+ s/);
    } finally {
      await strict.close();
    }
  });
});

describe("attempts whose password was never judged", () => {
  it("count while they could be in flight, then stop counting (an outage cannot lock an address out)", async () => {
    const limiter = h.tenancy.loginRateLimiter({
      ...DEFAULT_RATE_LIMIT,
      maxFailuresPerIp: 3,
      pendingCountsMs: 1_500,
    });
    const ip = "198.51.100.7";
    // Three attempts admitted and never judged, as when the tenant's database stops answering.
    for (let i = 0; i < 3; i++) await limiter.begin("tenant", `outage${i}@acme.test`, ip);
    await expect(limiter.begin("tenant", "next@acme.test", ip)).rejects.toBeInstanceOf(RateLimited);
    await new Promise((r) => setTimeout(r, 1_600));
    const admitted = await limiter.begin("tenant", "next@acme.test", ip);
    // A judged wrong password does count for the whole window.
    await admitted.failed();
    for (let i = 0; i < 2; i++)
      await (await limiter.begin("tenant", `w${i}@acme.test`, ip)).failed();
    await expect(limiter.begin("tenant", "last@acme.test", ip)).rejects.toBeInstanceOf(RateLimited);
  });
});

describe("refresh, logout, me", () => {
  it("rotates the refresh token, and reuse of a rotated one revokes the whole family", async () => {
    const login = await anon().auth.login.mutate({
      email: acme.ownerEmail,
      password: OWNER_PASSWORD,
    });
    if (login.status !== "ok" || !login.refreshToken) throw new Error("login failed");
    const r1 = await anon().auth.refresh.mutate({ refreshToken: login.refreshToken });
    expect(r1.refreshToken).not.toBe(login.refreshToken);
    expect(r1.user.email).toBe(acme.ownerEmail);
    const r2 = await anon().auth.refresh.mutate({ refreshToken: r1.refreshToken ?? "" });
    // The first token again: theft assumed, family revoked.
    expect(
      await failure(anon().auth.refresh.mutate({ refreshToken: login.refreshToken })),
    ).toMatchObject({ code: "UNAUTHORIZED", reason: "REFRESH_REUSED" });
    expect(
      (await failure(anon().auth.refresh.mutate({ refreshToken: r2.refreshToken ?? "" }))).code,
    ).toBe("UNAUTHORIZED");
    expect(await failure(appClient(h.url, r2.accessToken ?? "").notes.list.query())).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "SESSION_REVOKED",
    });
    // The stored form is a sha-256, never the token.
    await h.tenancy.withTenant(acme.id, async ({ models }) => {
      const stored = await models.Session.find({}).lean();
      expect(stored.some((s) => s.tokenHash === login.refreshToken)).toBe(false);
      expect(stored.every((s) => /^[a-f0-9]{64}$/.test(s.tokenHash))).toBe(true);
    });
  });

  it("refuses malformed and unknown refresh tokens", async () => {
    expect((await failure(anon().auth.refresh.mutate({ refreshToken: "nope" }))).reason).toBe(
      "REFRESH_INVALID",
    );
    expect(
      (await failure(anon().auth.refresh.mutate({ refreshToken: `${acme.id}.${"A".repeat(43)}` })))
        .reason,
    ).toBe("REFRESH_INVALID");
    expect((await failure(anon().auth.refresh.mutate({}))).reason).toBe("REFRESH_INVALID");
  });

  it("logout revokes the session: access and refresh tokens stop working", async () => {
    const login = await anon().auth.login.mutate({
      email: acme.ownerEmail,
      password: OWNER_PASSWORD,
    });
    if (login.status !== "ok") throw new Error("login failed");
    const me = await appClient(h.url, login.accessToken ?? "").auth.me.query();
    expect(me).toMatchObject({
      user: { email: acme.ownerEmail },
      tenant: { slug: "acme" },
      impersonatedBy: null,
    });
    expect(me.memberships).toEqual([{ slug: "acme", name: "Tenant acme", role: "owner" }]);
    expect(await appClient(h.url, login.accessToken ?? "").auth.logout.mutate({})).toEqual({
      ok: true,
      revoked: true,
    });
    expect((await failure(appClient(h.url, login.accessToken ?? "").auth.me.query())).reason).toBe(
      "SESSION_REVOKED",
    );
    expect(
      (await failure(anon().auth.refresh.mutate({ refreshToken: login.refreshToken ?? "" }))).code,
    ).toBe("UNAUTHORIZED");
  });
});

describe("changePassword and switchTenant", () => {
  it("changes the password: refuses a wrong current or weak new one, ends other sessions", async () => {
    await acme.client.members.create.mutate({
      email: "pw@acme.test",
      name: "Pw",
      role: "member",
      password: "First-Pass-2026-ok!",
    });
    const a = await anon().auth.login.mutate({
      email: "pw@acme.test",
      password: "First-Pass-2026-ok!",
    });
    const b = await anon().auth.login.mutate({
      email: "pw@acme.test",
      password: "First-Pass-2026-ok!",
    });
    if (a.status !== "ok" || b.status !== "ok") throw new Error("login failed");
    const ca = appClient(h.url, a.accessToken ?? "");
    expect(
      await failure(
        ca.auth.changePassword.mutate({
          currentPassword: "wrong-wrong-wrong",
          newPassword: "Second-Pass-2026-ok!",
        }),
      ),
    ).toMatchObject({
      code: "FORBIDDEN",
      reason: "INVALID_CREDENTIALS",
    });
    const weak = await failure(
      ca.auth.changePassword.mutate({
        currentPassword: "First-Pass-2026-ok!",
        newPassword: "short",
      }),
    );
    expect(weak).toMatchObject({ code: "BAD_REQUEST", reason: "WEAK_PASSWORD" });
    expect(weak.message).toMatch(/at least 12/);
    const done = await ca.auth.changePassword.mutate({
      currentPassword: "First-Pass-2026-ok!",
      newPassword: "Second-Pass-2026-ok!",
    });
    expect(done).toEqual({ ok: true, otherSessionsEnded: 1 });
    expect((await ca.auth.me.query()).user.email).toBe("pw@acme.test");
    expect((await failure(appClient(h.url, b.accessToken ?? "").auth.me.query())).reason).toBe(
      "SESSION_REVOKED",
    );
    expect(
      (
        await failure(
          anon().auth.login.mutate({ email: "pw@acme.test", password: "First-Pass-2026-ok!" }),
        )
      ).reason,
    ).toBe("INVALID_CREDENTIALS");
    expect(
      (await anon().auth.login.mutate({ email: "pw@acme.test", password: "Second-Pass-2026-ok!" }))
        .status,
    ).toBe("ok");
  });

  it("switches tenant without a second password and ends the current session", async () => {
    const inAcme = await anon().auth.login.mutate({
      email: "both@example.test",
      password: "Shared-Pass-2026-ok!",
      tenantSlug: "acme",
    });
    if (inAcme.status !== "ok") throw new Error("login failed");
    const client = appClient(h.url, inAcme.accessToken ?? "");
    expect(
      (await failure(client.auth.switchTenant.mutate({ tenantSlug: "initech", password: "x" })))
        .reason,
    ).toBe("NOT_A_MEMBER");
    // globex does not ask for its own password (org-switch.integration.test.ts covers one that does).
    const switched = await client.auth.switchTenant.mutate({ tenantSlug: "globex" });
    expect(switched).toMatchObject({
      status: "ok",
      tenant: { slug: "globex" },
      user: { role: "admin" },
    });
    expect((await appClient(h.url, switched.accessToken ?? "").auth.me.query()).tenant.slug).toBe(
      "globex",
    );
    expect((await failure(client.auth.me.query())).reason).toBe("SESSION_REVOKED");
  });
});

describe("invites", () => {
  it("accepts a one-time invite link once, with a strong password", async () => {
    const inv = await acme.client.members.create.mutate({
      email: "new@acme.test",
      name: "Newbie",
      role: "member",
    });
    expect(inv.member.status).toBe("invited");
    expect(inv.inviteUrl).toMatch(/^http:\/\/app\.tenantry\.test\/invite#token=[a-f0-9]{24}\./);
    const token = new URL(inv.inviteUrl ?? "").hash.replace("#token=", "");
    // Invited users cannot sign in before accepting.
    expect(
      (
        await failure(
          anon().auth.login.mutate({ email: "new@acme.test", password: "whatever-123456" }),
        )
      ).reason,
    ).toBe("INVALID_CREDENTIALS");
    expect(
      (await failure(anon().auth.acceptInvite.mutate({ token, password: "weak" }))).reason,
    ).toBe("WEAK_PASSWORD");
    const accepted = await anon().auth.acceptInvite.mutate({
      token,
      password: "Newbie-Pass-2026-ok!",
      name: "New Person",
    });
    expect(accepted).toMatchObject({
      status: "ok",
      user: { email: "new@acme.test", name: "New Person" },
      tenant: { slug: "acme" },
    });
    expect(
      (await failure(anon().auth.acceptInvite.mutate({ token, password: "Newbie-Pass-2026-ok!" })))
        .reason,
    ).toBe("INVITE_USED");
    expect(
      (
        await failure(
          anon().auth.acceptInvite.mutate({
            token: `${globex.id}.${"B".repeat(43)}`,
            password: "Newbie-Pass-2026-ok!",
          }),
        )
      ).reason,
    ).toBe("INVITE_INVALID");
    expect(
      (await anon().auth.login.mutate({ email: "new@acme.test", password: "Newbie-Pass-2026-ok!" }))
        .status,
    ).toBe("ok");
  });
});
