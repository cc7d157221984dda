// One account across organisations over real HTTP: the switcher's list, the switch without a second
// password (and its refusals), an organisation that asks for its own password, and joining an
// organisation by invite with the account one already has (then entering it by switch or reset).
import { createHash } from "node:crypto";

import { createSmtpMailer } from "@tenantry/tenancy";
import { controlModelsOf } from "@tenantry/tenancy/testing";
import type { MailCatcher } from "@tenantry/test-kit";
import { startMailCatcher } from "@tenantry/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../../test/api-harness";
import { appClient, failure, startHarness } from "../../../test/api-harness";

const PAT = "pat@example.test";
const PASS = {
  acme: "Acme-Pass-2026-ok!",
  globex: "Globex-Pass-2026-ok!",
  initech: "Ini-Pass-2026-ok!",
};
let h: Harness;
let mail: MailCatcher;
let acme: TenantFixture;
let globex: TenantFixture;
let initech: TenantFixture;
let umbrella: TenantFixture;
let hooli: TenantFixture;
const anon = () => appClient(h.url);

async function signedIn(email: string, password: string, tenantSlug: string) {
  const res = await anon().auth.login.mutate({ email, password, tenantSlug });
  if (res.status !== "ok") throw new Error(`${email} could not sign in to ${tenantSlug}`);
  return appClient(h.url, res.accessToken ?? "");
}

/** Every token a switch or join handed out: none of them, nor their hashes, may reach control. */
const issued: string[] = [];
const sha256 = (t: string) => createHash("sha256").update(t).digest("hex");

const inviteToken = (url: string | null | undefined) =>
  new URL(url ?? "").hash.replace("#token=", "");

beforeAll(async () => {
  mail = await startMailCatcher();
  h = await startHarness({}, undefined, {
    mailer: createSmtpMailer({ smtpUrl: mail.smtpUrl, from: "Tenantry <no-reply@tenantry.test>" }),
  });
  [acme, globex, initech, umbrella, hooli] = await Promise.all([
    h.tenant("acme"),
    h.tenant("globex"),
    h.tenant("initech"),
    h.tenant("umbrella"),
    h.tenant("hooli"),
  ]);
  const add = (t: TenantFixture, role: "member" | "admin", password: string) =>
    t.client.members.create.mutate({ email: PAT, name: "Pat", role, password });
  await add(acme, "member", PASS.acme);
  await add(globex, "admin", PASS.globex);
  await add(initech, "member", PASS.initech);
  await add(umbrella, "member", PASS.acme);
  await initech.client.settings.update.mutate({ requireOwnSignIn: true });
});
afterAll(async () => {
  await h?.stop();
  await mail?.stop();
});

describe("auth.organisations", () => {
  it("lists every organisation of the email, the current one first, with how each is entered", async () => {
    const pat = await signedIn(PAT, PASS.acme, "acme");
    const list = await pat.auth.organisations.query();
    expect(list[0]).toEqual({
      slug: "acme",
      name: "Tenant acme",
      role: "member",
      access: "current",
    });
    expect(list.slice(1)).toEqual(
      expect.arrayContaining([
        { slug: "globex", name: "Tenant globex", role: "admin", access: "direct" },
        { slug: "initech", name: "Tenant initech", role: "member", access: "password" },
        { slug: "umbrella", name: "Tenant umbrella", role: "member", access: "direct" },
      ]),
    );
    expect(list.map((o) => o.slug)).not.toContain("hooli");
  });
});

describe("auth.switchTenant without a second password", () => {
  it("switches to an organisation of the same email, audits both sides and ends the old session", async () => {
    const pat = await signedIn(PAT, PASS.acme, "acme");
    const switched = await pat.auth.switchTenant.mutate({ tenantSlug: "globex" });
    expect(switched).toMatchObject({
      status: "ok",
      method: "direct",
      tenant: { slug: "globex", id: globex.id },
      user: { email: PAT, role: "admin" },
    });
    issued.push(switched.accessToken ?? "", switched.refreshToken ?? "");
    const inGlobex = appClient(h.url, switched.accessToken ?? "");
    expect((await inGlobex.auth.me.query()).tenant.slug).toBe("globex");
    expect((await failure(pat.auth.me.query())).reason).toBe("SESSION_REVOKED");
    // The new session lives in globex's own store: its refresh token rotates there.
    const refreshed = await anon().auth.refresh.mutate({
      refreshToken: switched.refreshToken ?? "",
    });
    expect(refreshed.accessToken).toMatch(/^ey/);

    const inLog = await globex.client.audit.list.query({ action: "auth.switchedIn" });
    expect(inLog.items[0]).toMatchObject({
      actor: { email: PAT },
      details: { from: "acme", method: "direct" },
    });
    const outLog = await acme.client.audit.list.query({ action: "auth.switchedOut" });
    expect(outLog.items[0]).toMatchObject({
      actor: { email: PAT },
      details: { to: "globex", method: "direct" },
    });
  });

  it("refuses an organisation the email is not a member of (403), unknown or not", async () => {
    const pat = await signedIn(PAT, PASS.acme, "acme");
    for (const tenantSlug of ["hooli", "no-such-org"]) {
      const refused = await failure(pat.auth.switchTenant.mutate({ tenantSlug }));
      expect(refused).toMatchObject({ httpStatus: 403, reason: "NOT_A_MEMBER" });
    }
    // A refused switch leaves the session as it was.
    expect((await pat.auth.me.query()).tenant.slug).toBe("acme");
  });

  it("refuses a suspended organisation, and the switcher shows it as suspended", async () => {
    await h.admin.tenants.suspend.mutate({ id: umbrella.id, reason: "unpaid invoice" });
    try {
      const pat = await signedIn(PAT, PASS.acme, "acme");
      const refused = await failure(pat.auth.switchTenant.mutate({ tenantSlug: "umbrella" }));
      expect(refused).toMatchObject({ httpStatus: 403, reason: "TENANT_SUSPENDED" });
      const list = await pat.auth.organisations.query();
      expect(list.find((o) => o.slug === "umbrella")?.access).toBe("suspended");
      expect((await pat.auth.me.query()).tenant.slug).toBe("acme");
    } finally {
      await h.admin.tenants.resume.mutate({ id: umbrella.id });
    }
  });

  it("asks for the password of an organisation that requires its own sign-in, and accepts it", async () => {
    const pat = await signedIn(PAT, PASS.acme, "acme");
    const noPassword = await failure(pat.auth.switchTenant.mutate({ tenantSlug: "initech" }));
    expect(noPassword).toMatchObject({ httpStatus: 403, reason: "PASSWORD_REQUIRED" });
    expect(noPassword.message).toMatch(/own password/);
    // Another organisation's password is not this one's.
    const wrong = await failure(
      pat.auth.switchTenant.mutate({ tenantSlug: "initech", password: PASS.acme }),
    );
    expect(wrong).toMatchObject({ httpStatus: 403, reason: "INVALID_CREDENTIALS" });
    const switched = await pat.auth.switchTenant.mutate({
      tenantSlug: "initech",
      password: PASS.initech,
    });
    expect(switched).toMatchObject({ method: "password", tenant: { slug: "initech" } });
    const inInitech = appClient(h.url, switched.accessToken ?? "");
    expect((await inInitech.auth.me.query()).tenant.slug).toBe("initech");
    // Switching out of it needs no password where the other side does not ask for one.
    const back = await inInitech.auth.switchTenant.mutate({ tenantSlug: "acme" });
    expect(back).toMatchObject({ method: "direct", tenant: { slug: "acme" } });
  });

  it("lets only owners and admins change requireOwnSignIn, and audits the change", async () => {
    const pat = await signedIn(PAT, PASS.acme, "acme");
    expect((await failure(pat.settings.update.mutate({ requireOwnSignIn: true }))).reason).toBe(
      "FORBIDDEN_ROLE",
    );
    expect((await pat.settings.get.query()).requireOwnSignIn).toBe(false);
    expect((await initech.client.settings.get.query()).requireOwnSignIn).toBe(true);
    const log = await initech.client.audit.list.query({ action: "settings.update" });
    expect(log.items[0]?.details).toMatchObject({ changed: ["requireOwnSignIn"] });
  });

  it("refuses a switch during impersonation, even with write access", async () => {
    const imp = await h.admin.impersonate.start.mutate({
      tenantId: acme.id,
      userEmail: PAT,
      reason: "support ticket 7",
      writeAccess: { reason: "check the switcher" },
    });
    const asPat = appClient(h.url, imp.accessToken);
    const refused = await failure(asPat.auth.switchTenant.mutate({ tenantSlug: "globex" }));
    expect(refused).toMatchObject({ httpStatus: 403, reason: "IMPERSONATION_READ_ONLY" });
    expect(await asPat.auth.organisations.query()).toEqual([
      expect.objectContaining({ slug: "acme", access: "current" }),
    ]);
  });

  it("refuses API keys: they carry no person's email", async () => {
    const key = await acme.client.keys.create.mutate({ name: "ci", scopes: ["notes:read"] });
    const byKey = appClient(h.url, key.secret);
    const refused = await failure(byKey.auth.switchTenant.mutate({ tenantSlug: "globex" }));
    expect(refused).toMatchObject({ httpStatus: 403, reason: "SCOPE_MISSING" });
    expect((await failure(byKey.auth.organisations.query())).reason).toBe("SCOPE_MISSING");
  });
});

describe("auth.acceptInviteWithAccount", () => {
  it("joins with the existing account (no new password), then enters by switch or by reset", async () => {
    const sam = "sam@example.test";
    await acme.client.members.create.mutate({
      email: sam,
      name: "Sam",
      role: "member",
      password: PASS.acme,
    });
    const inv = await hooli.client.members.create.mutate({
      email: sam,
      name: "Sam",
      role: "member",
    });
    const token = inviteToken(inv.inviteUrl);
    expect(await anon().auth.inviteDetails.mutate({ token })).toMatchObject({
      email: sam,
      organisation: "Tenant hooli",
      existingAccount: true,
    });

    // Someone else's session does not prove this email; the link stays usable.
    const pat = await signedIn(PAT, PASS.acme, "acme");
    expect(await failure(pat.auth.acceptInviteWithAccount.mutate({ token }))).toMatchObject({
      httpStatus: 403,
      reason: "INVITE_EMAIL_MISMATCH",
    });

    const samInAcme = await signedIn(sam, PASS.acme, "acme");
    const joined = await samInAcme.auth.acceptInviteWithAccount.mutate({ token });
    expect(joined).toMatchObject({
      status: "ok",
      tenant: { slug: "hooli" },
      user: { email: sam, role: "member" },
    });
    issued.push(joined.accessToken ?? "", joined.refreshToken ?? "", token);
    const samInHooli = appClient(h.url, joined.accessToken ?? "");
    expect((await samInHooli.auth.me.query()).tenant.slug).toBe("hooli");
    expect((await failure(samInAcme.auth.me.query())).reason).toBe("SESSION_REVOKED");
    expect(
      (await failure(samInAcme.auth.acceptInviteWithAccount.mutate({ token }))).httpStatus,
    ).toBe(401);
    const accepted = await hooli.client.audit.list.query({ action: "members.acceptInvite" });
    expect(accepted.items[0]).toMatchObject({
      actor: { email: sam },
      details: { method: "existingAccount", from: "acme" },
    });

    // hooli holds no password of theirs: acme's does not sign in there...
    expect(
      (
        await failure(
          anon().auth.login.mutate({ email: sam, password: PASS.acme, tenantSlug: "hooli" }),
        )
      ).reason,
    ).toBe("INVALID_CREDENTIALS");
    // ...the switch does, both ways...
    const toAcme = await samInHooli.auth.switchTenant.mutate({ tenantSlug: "acme" });
    const samBack = appClient(h.url, toAcme.accessToken ?? "");
    const toHooli = await samBack.auth.switchTenant.mutate({ tenantSlug: "hooli" });
    expect(toHooli).toMatchObject({ method: "direct", tenant: { slug: "hooli" } });

    // ...and "forgot password" mails a link for hooli too, which sets a password of its own there.
    await anon().auth.requestPasswordReset.mutate({ email: sam });
    const message = await mail.waitForMessage(sam, { subject: /password/i });
    const line = message.text.split("\n").find((l) => l.startsWith("Tenant hooli:"));
    const resetToken = /#token=(\S+)/.exec(line ?? "")?.[1] ?? "";
    expect(resetToken).not.toBe("");
    await anon().auth.resetPassword.mutate({ token: resetToken, password: "Hooli-Own-2026-ok!" });
    const own = await anon().auth.login.mutate({
      email: sam,
      password: "Hooli-Own-2026-ok!",
      tenantSlug: "hooli",
    });
    expect(own).toMatchObject({ status: "ok", tenant: { slug: "hooli" } });
  });

  it("is not offered, and refused, where the organisation asks for its own password", async () => {
    const inv = await initech.client.members.create.mutate({
      email: "owner@acme.test",
      name: "Acme owner",
      role: "member",
    });
    const token = inviteToken(inv.inviteUrl);
    expect((await anon().auth.inviteDetails.mutate({ token })).existingAccount).toBe(false);
    const refused = await failure(acme.client.auth.acceptInviteWithAccount.mutate({ token }));
    expect(refused).toMatchObject({ httpStatus: 403, reason: "JOIN_NEEDS_PASSWORD" });
    // The link still works the ordinary way, with a password of its own.
    const ok = await anon().auth.acceptInvite.mutate({ token, password: "Initech-Own-2026-ok!" });
    expect(ok).toMatchObject({ status: "ok", tenant: { slug: "initech" } });
  });
});

describe("control database", () => {
  it("holds none of the switch's or join's tokens, nor their hashes", async () => {
    expect(issued.length).toBeGreaterThanOrEqual(5);
    const needles = issued.flatMap((t) => [t, sha256(t), t.split(".").at(-1) ?? t]);
    const db = controlModelsOf(h.tenancy).Tenant.db.db;
    if (!db) throw new Error("no control db handle");
    let scanned = 0;
    for (const { name } of await db.listCollections().toArray()) {
      for (const doc of await db.collection(name).find({}).toArray()) {
        scanned++;
        const text = JSON.stringify(doc);
        for (const n of needles) expect(text, `${name} holds a switch token`).not.toContain(n);
      }
    }
    expect(scanned).toBeGreaterThan(10);
  });
});
