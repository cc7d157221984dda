// Issue 5 point 8, the security half: token forgery, tenant isolation, host/header mismatch,
// suspension across instances, operator injection and the control-database password scan.
import { createHash } from "node:crypto";
import { request } from "node:http";

import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, Instance, TenantFixture } from "../test/api-harness";
import {
  ADMIN,
  JWT,
  OWNER_PASSWORD,
  adminClient,
  appClient,
  failure,
  startHarness,
  startInstance,
} from "../test/api-harness";
import { controlModelsOf } from "@tenantry/tenancy/testing";
import { totpCode } from "@tenantry/test-kit";

let h: Harness;
let acme: TenantFixture;
let globex: TenantFixture;
const MEMBER_PASSWORD = "Member-Secret-77-Pass!";

beforeAll(async () => {
  // Journaled to disk: the control-database promise is checked in its journal file too.
  h = await startHarness({ tenantHostSuffix: ".tenantry.test" }, undefined, {}, { journal: true });
  [acme, globex] = await Promise.all([h.tenant("acme"), h.tenant("globex")]);
});
afterAll(async () => h?.stop());

function rawGet(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const decode = (part: string) =>
  JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;

async function sign(
  payload: Record<string, unknown>,
  opts: { secret?: string; audience?: string; exp?: number } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", kid: "k1" })
    .setIssuer(JWT.issuer)
    .setAudience(opts.audience ?? JWT.audience)
    .setIssuedAt(now - 10)
    .setExpirationTime(opts.exp ?? now + 600)
    .sign(new TextEncoder().encode(opts.secret ?? JWT.secret));
}

describe("access tokens", () => {
  it("accepts the genuine token", async () => {
    expect((await acme.client.auth.me.query()).tenant.slug).toBe("acme");
  });

  it("refuses a tampered payload (tid swapped to another tenant), keeping the signature", async () => {
    const [header, payload, sig] = acme.token.split(".") as [string, string, string];
    const forged = `${header}.${b64({ ...decode(payload), tid: globex.id })}.${sig}`;
    const f = await failure(appClient(h.url, forged).notes.list.query());
    expect(f).toMatchObject({ code: "UNAUTHORIZED", reason: "TOKEN_INVALID", httpStatus: 401 });
  });

  it("refuses alg: none", async () => {
    const [, payload] = acme.token.split(".") as [string, string];
    const none = `${b64({ alg: "none", typ: "JWT" })}.${payload}.`;
    expect(await failure(appClient(h.url, none).auth.me.query())).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "TOKEN_INVALID",
    });
  });

  it("refuses a token signed with another key", async () => {
    const claims = decode(acme.token.split(".")[1] as string);
    const wrong = await sign({ ...claims }, { secret: "x".repeat(64) });
    expect(await failure(appClient(h.url, wrong).auth.me.query())).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "TOKEN_INVALID",
    });
  });

  it("refuses an expired token with reason TOKEN_EXPIRED", async () => {
    const {
      iat: _i,
      exp: _e,
      iss: _s,
      aud: _a,
      ...claims
    } = decode(acme.token.split(".")[1] as string);
    const expired = await sign(claims, { exp: Math.floor(Date.now() / 1000) - 5 });
    expect(await failure(appClient(h.url, expired).auth.me.query())).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "TOKEN_EXPIRED",
    });
  });

  it("refuses a wrong audience, and tenant and admin tokens on each other's API", async () => {
    const {
      iat: _i,
      exp: _e,
      iss: _s,
      aud: _a,
      ...claims
    } = decode(acme.token.split(".")[1] as string);
    const otherAud = await sign(claims, { audience: "someone-else" });
    expect(await failure(appClient(h.url, otherAud).auth.me.query())).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "TOKEN_INVALID",
    });
    expect(await failure(appClient(h.url, h.adminToken).auth.me.query())).toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect(await failure(adminClient(h.url, acme.token).tenants.list.query())).toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("refuses a missing or malformed bearer token", async () => {
    expect(await failure(appClient(h.url).notes.list.query())).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "UNAUTHENTICATED",
    });
    expect(await failure(appClient(h.url, "garbage").notes.list.query())).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "TOKEN_INVALID",
    });
  });
});

describe("tenant isolation", () => {
  it("never reads or writes another tenant's note, whatever id is passed", async () => {
    const secret = await globex.client.notes.create.mutate({
      title: "Globex secret",
      body: "plans",
      tags: ["secret"],
    });
    const mine = await acme.client.notes.create.mutate({ title: "Acme note", body: "", tags: [] });
    expect((await failure(acme.client.notes.get.query({ id: secret.id }))).code).toBe("NOT_FOUND");
    expect(
      (await failure(acme.client.notes.update.mutate({ id: secret.id, title: "pwned" }))).code,
    ).toBe("NOT_FOUND");
    expect((await failure(acme.client.notes.delete.mutate({ id: secret.id }))).code).toBe(
      "NOT_FOUND",
    );
    const acmeList = await acme.client.notes.list.query({ search: "secret" });
    expect(acmeList.items).toEqual([]);
    const acmeAll = await acme.client.notes.list.query({ limit: 100 });
    expect(acmeAll.items.map((n) => n.id)).toEqual([mine.id]);
    // A cursor taken from the other tenant only pages through this tenant's own notes.
    const viaCursor = await acme.client.notes.list.query({ cursor: "f".repeat(24) });
    expect(viaCursor.items.every((n) => n.id !== secret.id)).toBe(true);
    expect(await globex.client.notes.get.query({ id: secret.id })).toMatchObject({
      title: "Globex secret",
      body: "plans",
    });
  });

  it("never touches another tenant's members", async () => {
    const globexMembers = await globex.client.members.list.query();
    const globexOwnerId = globexMembers.items[0]?.id ?? "";
    expect(
      (
        await failure(
          acme.client.members.changeRole.mutate({ userId: globexOwnerId, role: "member" }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect((await failure(acme.client.members.remove.mutate({ userId: globexOwnerId }))).code).toBe(
      "NOT_FOUND",
    );
    expect(
      (await failure(acme.client.members.deactivate.mutate({ userId: globexOwnerId }))).code,
    ).toBe("NOT_FOUND");
    expect((await globex.client.members.list.query()).items[0]).toMatchObject({
      id: globexOwnerId,
      role: "owner",
      status: "active",
    });
    expect((await acme.client.members.list.query()).items.map((m) => m.email)).toEqual([
      acme.ownerEmail,
    ]);
  });

  it("refuses a tenant named by header or host that disagrees with the token", async () => {
    const viaHeader = appClient(h.url, acme.token, { "x-tenant": "globex" });
    expect(await failure(viaHeader.notes.list.query())).toMatchObject({
      code: "FORBIDDEN",
      reason: "TENANT_MISMATCH",
    });
    const unknown = appClient(h.url, acme.token, { "x-tenant": "nobody" });
    expect(await failure(unknown.notes.list.query())).toMatchObject({
      code: "FORBIDDEN",
      reason: "TENANT_MISMATCH",
    });
    // Host: fetch cannot set it, so this call goes through node:http.
    const viaHost = await rawGet(h.url, "/trpc/notes.list", {
      host: "globex.tenantry.test",
      authorization: `Bearer ${acme.token}`,
    });
    expect(viaHost.status).toBe(403);
    expect(viaHost.body).toContain("TENANT_MISMATCH");
    const sameHost = await rawGet(h.url, "/trpc/auth.me", {
      host: "acme.tenantry.test",
      authorization: `Bearer ${acme.token}`,
    });
    expect(sameHost.status).toBe(200);
    const agreeing = appClient(h.url, acme.token, { "x-tenant": "acme" });
    expect((await agreeing.auth.me.query()).tenant.slug).toBe("acme");
  });
});

describe("query-operator injection", () => {
  const bad = (v: unknown) => v as never;

  it("is refused by validation in every kind of input, with a zod error", async () => {
    const attempts = [
      () =>
        appClient(h.url).auth.login.mutate(bad({ email: { $ne: null }, password: { $ne: null } })),
      () =>
        appClient(h.url).auth.login.mutate(bad({ email: acme.ownerEmail, password: { $gt: "" } })),
      () =>
        appClient(h.url).auth.login.mutate(
          bad({ email: acme.ownerEmail, password: OWNER_PASSWORD, tenantSlug: { $regex: ".*" } }),
        ),
      () => appClient(h.url).auth.refresh.mutate(bad({ refreshToken: { $ne: null } })),
      () => acme.client.notes.get.query(bad({ id: { $ne: null } })),
      () => acme.client.notes.update.mutate(bad({ id: { $exists: true }, title: "x" })),
      () => acme.client.notes.list.query(bad({ tag: { $gt: "" } })),
      () => acme.client.notes.list.query(bad({ search: { $where: "1" } })),
      () => acme.client.notes.create.mutate(bad({ title: "t", body: "", tags: [{ $ne: 1 }] })),
      () => acme.client.members.list.query(bad({ search: { $regex: "." } })),
      () => acme.client.members.changeRole.mutate(bad({ userId: { $ne: null }, role: "member" })),
      () => acme.client.settings.update.mutate(bad({ preferences: { $set: { x: 1 } } })),
      () => acme.client.settings.update.mutate(bad({ preferences: { "a.b": 1 } })),
      () => acme.client.settings.update.mutate(bad({ preferences: { theme: { $ne: 1 } } })),
      () => acme.client.notes.create.mutate(bad({ title: "t", $where: "sleep(1000)" })),
      () => h.admin.tenants.list.query(bad({ status: { $ne: "active" } })),
      () => h.admin.tenants.get.query(bad({ id: { $gt: "" } })),
      () =>
        adminClient(h.url).auth.login.mutate(bad({ email: ADMIN.email, password: { $ne: null } })),
      () =>
        h.admin.impersonate.start.mutate(
          bad({ tenantId: acme.id, userEmail: { $ne: null }, reason: "test" }),
        ),
    ];
    for (const attempt of attempts) {
      const f = await failure(attempt());
      expect(f.code).toBe("BAD_REQUEST");
      expect(f.httpStatus).toBe(400);
      expect(f.data.zodError).toBeTruthy();
    }
  });
});

describe("suspension", () => {
  let second: Instance;
  beforeAll(async () => {
    second = await startInstance(h.uri, h.controlDbName);
  });
  afterAll(async () => second?.close());

  it("refuses a suspended tenant's still-valid token within 1 s on both instances, and resume restores access", async () => {
    const note = await acme.client.notes.create.mutate({
      title: "survives suspension",
      body: "",
      tags: [],
    });
    const onSecond = appClient(second.url, acme.token);
    expect((await onSecond.notes.get.query({ id: note.id })).title).toBe("survives suspension");
    await h.admin.tenants.suspend.mutate({ id: acme.id, reason: "unpaid invoice" });
    const suspendedAt = Date.now();
    // Measured from when the suspension returned to when the first refused request *started*, so
    // the figure is propagation, not HTTP latency on a busy machine.
    let refusedAfter = -1;
    while (Date.now() - suspendedAt < 5000) {
      const startedAt = Date.now();
      const r = await onSecond.notes.list.query().then(
        () => null,
        (e: unknown) => e,
      );
      if (r) {
        refusedAfter = startedAt - suspendedAt;
        expect((r as { data?: { reason?: string } }).data?.reason).toBe("TENANT_SUSPENDED");
        break;
      }
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(refusedAfter).toBeGreaterThanOrEqual(0);
    expect(refusedAfter).toBeLessThan(1000);
    // From then on, both instances refuse, with the reason the admin gave.
    for (const client of [onSecond, acme.client]) {
      const f = await failure(client.health.tenant.query());
      expect(f).toMatchObject({ code: "FORBIDDEN", reason: "TENANT_SUSPENDED" });
      expect(f.data.suspendedReason).toBe("unpaid invoice");
    }
    // Login answers with the machine-readable reason too.
    expect(
      await failure(
        appClient(h.url).auth.login.mutate({ email: acme.ownerEmail, password: OWNER_PASSWORD }),
      ),
    ).toMatchObject({ reason: "TENANT_SUSPENDED" });

    await h.admin.tenants.resume.mutate({ id: acme.id });
    // Suspension revoked the sessions: sign in again, and the data is all there.
    const again = await appClient(h.url).auth.login.mutate({
      email: acme.ownerEmail,
      password: OWNER_PASSWORD,
    });
    if (again.status !== "ok" || !again.accessToken) throw new Error("login after resume failed");
    acme = { ...acme, token: again.accessToken, client: appClient(h.url, again.accessToken) };
    // The second instance learns of the resume at its next registry poll (well under a second).
    // Before the auth-check cache it often answered at once only because it had never seen the
    // suspension in its registry (the revoked session was what refused it).
    const onSecondAgain = appClient(second.url, again.accessToken);
    const resumedAt = Date.now();
    let title: string | null = null;
    while (title === null && Date.now() - resumedAt < 1000) {
      title = await onSecondAgain.notes.get.query({ id: note.id }).then(
        (n) => n.title,
        async () => {
          await new Promise((res) => setTimeout(res, 25));
          return null;
        },
      );
    }
    expect(title).toBe("survives suspension");
  });
});

describe("suspension without session revocation", () => {
  it("still refuses on another instance within 1 s through the shared tenant registry", async () => {
    const hooli = await h.tenant("hooli");
    const second = await startInstance(h.uri, h.controlDbName);
    try {
      const onSecond = appClient(second.url, hooli.token);
      expect((await onSecond.health.tenant.query()).ok).toBe(true);
      const { dbName } = await h.admin.tenants.get.query({ id: hooli.id });
      await h.admin.tenants.suspend.mutate({ id: hooli.id, reason: "registry path" });
      const suspendedAt = Date.now();
      // Simulate a tenant cluster that could not be reached for revocation: sessions stay live,
      // so only the status check can stop the token.
      const client = controlModelsOf(h.tenancy).Tenant.db.getClient();
      await client
        .db(dbName)
        .collection("sessions")
        .updateMany({}, { $set: { revokedAt: null, revokedReason: null } });
      let refusedAfter = -1;
      while (Date.now() - suspendedAt < 5000) {
        const startedAt = Date.now();
        const r = await onSecond.notes.list.query().then(
          () => null,
          (e: unknown) => e,
        );
        if (r) {
          refusedAfter = startedAt - suspendedAt;
          expect((r as { data?: { reason?: string } }).data?.reason).toBe("TENANT_SUSPENDED");
          break;
        }
        await new Promise((res) => setTimeout(res, 25));
      }
      expect(refusedAfter).toBeGreaterThanOrEqual(0);
      expect(refusedAfter).toBeLessThan(1000);
    } finally {
      await second.close();
    }
  });
});

describe("control database", () => {
  it("holds no tenant user's password, password hash or second factor, nor a tenant webhook secret, in any collection", async () => {
    // Create users every way the api can: owner at provision, member with password, invitee
    // who accepts, and a password change.
    const created = await globex.client.members.create.mutate({
      email: "m1@globex.test",
      name: "M1",
      role: "member",
      password: MEMBER_PASSWORD,
    });
    expect(created.member.status).toBe("active");
    const invited = await globex.client.members.create.mutate({
      email: "inv@globex.test",
      name: "Inv",
      role: "member",
    });
    const token = new URL(invited.inviteUrl ?? "").hash.replace("#token=", "");
    await appClient(h.url).auth.acceptInvite.mutate({ token, password: "Invitee-Choice-9-Pass!" });
    await appClient(h.url, globex.token).auth.changePassword.mutate({
      currentPassword: OWNER_PASSWORD,
      newPassword: "Renewed-Chief-8-Pass!",
    });
    await appClient(h.url, globex.token).auth.changePassword.mutate({
      currentPassword: "Renewed-Chief-8-Pass!",
      newPassword: OWNER_PASSWORD,
    });

    // A tenant webhook endpoint's signing secret stays in the tenant's database.
    const hook = await globex.client.webhooks.create.mutate({ url: "https://1.1.1.1/globex-hook" });

    // …and a second factor: enrolment, a sign-in by code and one by recovery code.
    const m1 = await appClient(h.url).auth.login.mutate({
      email: "m1@globex.test",
      password: MEMBER_PASSWORD,
    });
    const m1Client = appClient(h.url, m1.status === "ok" ? (m1.accessToken ?? "") : "");
    const begun = await m1Client.auth.twoFactor.begin.mutate();
    const { recoveryCodes } = await m1Client.auth.twoFactor.confirm.mutate({
      code: totpCode(begun.manualKey),
    });
    const challenges: string[] = [];
    for (const code of [totpCode(begun.manualKey, 1), recoveryCodes[0] as string]) {
      const step = await appClient(h.url).auth.login.mutate({
        email: "m1@globex.test",
        password: MEMBER_PASSWORD,
      });
      if (step.status !== "secondFactor") throw new Error("expected a challenge");
      challenges.push(step.challenge);
      await appClient(h.url).auth.loginSecondFactor.mutate({ challenge: step.challenge, code });
    }
    const stored = await h.tenancy.withTenant(globex.id, ({ models }) =>
      models.User.findOne({ email: "m1@globex.test" }).lean(),
    );
    const sealedSecret = stored?.twoFactor?.secretSealed ?? "";
    expect(sealedSecret).toMatch(/^v1\./);
    const sha = (v: string) => createHash("sha256").update(v).digest("hex");
    const secondFactorSecrets = [
      begun.manualKey,
      sealedSecret,
      ...recoveryCodes,
      ...recoveryCodes.map(sha),
      ...challenges,
      ...challenges.map(sha),
    ];

    const db = controlModelsOf(h.tenancy).Tenant.db.db;
    if (!db) throw new Error("no control db handle");
    const plaintexts = [
      hook.secret,
      hook.secret.slice("whsec_".length),
      "globex-hook",
      OWNER_PASSWORD,
      MEMBER_PASSWORD,
      "Invitee-Choice-9-Pass!",
      "Renewed-Chief-8-Pass!",
      ADMIN.password,
    ];
    const collections = await db.listCollections().toArray();
    expect(collections.map((c) => c.name)).toEqual(
      expect.arrayContaining(["tenants", "directory", "admins", "audit", "loginAttempts"]),
    );
    let scanned = 0;
    for (const { name } of collections) {
      const docs = await db.collection(name).find({}).toArray();
      for (const doc of docs) {
        scanned++;
        const text = JSON.stringify(doc);
        for (const p of plaintexts)
          expect(text, `${name} holds a plaintext password`).not.toContain(p);
        for (const secret of secondFactorSecrets)
          expect(text, `${name} holds a tenant user's second factor`).not.toContain(secret);
        if (name === "admins") {
          // Super admins are a separate identity whose hashes live here by design; nothing else may.
          const { passwordHash: _ignored, ...rest } = doc;
          expect(JSON.stringify(rest)).not.toMatch(/\$argon2/);
          continue;
        }
        expect(text, `${name} holds a password hash`).not.toMatch(/\$argon2/);
        expect(
          Object.keys(doc).some((k) => /twoFactor|totp|recovery/i.test(k)),
          `${name} has a second-factor field`,
        ).toBe(false);
        expect(
          Object.keys(doc).some((k) => /pass(word)?hash|password/i.test(k)),
          `${name} has a password field`,
        ).toBe(false);
      }
    }
    expect(scanned).toBeGreaterThan(10);
    // …while the tenant database does hold the member's argon2id hash.
    const tenantSide = await h.tenancy.withTenant(globex.id, async ({ models, conn }) => {
      const users = await models.User.find({}).lean();
      const m1 = users.find((u) => u.email === "m1@globex.test");
      expect(m1?.passwordHash).toMatch(/^\$argon2id\$/);
      return { dbName: conn.name, hashes: users.flatMap((u) => u.passwordHash ?? []) };
    });

    // The control database's journal (every write it ever took, superseded ones included) holds
    // none of it either: not a password, a hash, a second factor or a webhook secret.
    const journal = h.journal();
    expect(journal.length).toBeGreaterThan(10_000);
    expect(tenantSide.hashes.length).toBeGreaterThanOrEqual(3);
    for (const needle of [...plaintexts, ...secondFactorSecrets, ...tenantSide.hashes])
      expect(journal.includes(needle), "the control journal holds a tenant user's secret").toBe(
        false,
      );
    // The check can see a hash on disk: the tenant's own journal holds them.
    const tenantJournal = h.journal(tenantSide.dbName);
    for (const hash of tenantSide.hashes) expect(tenantJournal.includes(hash)).toBe(true);
  });
});
