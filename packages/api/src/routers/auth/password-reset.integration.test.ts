// Password recovery over HTTP, with real mail: the tenancy sends through nodemailer to a maildev
// catcher over SMTP, and the tests read the links from what arrived.
import { createHash } from "node:crypto";

import { createSmtpMailer } from "@tenantry/tenancy";
import type { MailCatcher } from "@tenantry/test-kit";
import { startMailCatcher } from "@tenantry/test-kit";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../../test/api-harness";
import {
  ADMIN,
  OWNER_PASSWORD,
  adminClient,
  appClient,
  failure,
  startHarness,
} from "../../../test/api-harness";
import { RESET_REQUESTED_MESSAGE } from "../../auth/password-reset-requests";

const NEW_PASSWORD = "Fresh-Start-73-Window!";
let h: Harness;
let mail: MailCatcher;
let acme: TenantFixture;
/** Every tenant user's reset token a mail carried: none of them, nor their hashes, may reach control. */
const tenantTokens: string[] = [];

const tokenIn = (text: string, organisation?: string) => {
  const line = text
    .split("\n")
    .find((l) => l.includes("#token=") && (!organisation || l.startsWith(`${organisation}:`)));
  const token = /#token=(\S+)/.exec(line ?? "")?.[1];
  if (!token) throw new Error(`no reset link in:\n${text}`);
  return token;
};

async function linkFor(email: string, subject?: RegExp, organisation?: string) {
  const message = await mail.waitForMessage(email, subject ? { subject } : {});
  const token = tokenIn(message.text, organisation);
  return { message, token };
}

const signIn = (email: string, password: string, tenantSlug?: string) =>
  appClient(h.url).auth.login.mutate({ email, password, ...(tenantSlug ? { tenantSlug } : {}) });

/** A client signed in as `email` (in its only organisation, or `tenantSlug`). */
async function signedIn(email: string, password: string, tenantSlug?: string) {
  const res = await signIn(email, password, tenantSlug);
  if (res.status !== "ok") throw new Error(`${email} could not sign in`);
  return { api: appClient(h.url, res.accessToken ?? ""), user: res.user };
}

beforeAll(async () => {
  mail = await startMailCatcher();
  h = await startHarness(
    { adminAppUrl: "http://admin.tenantry.test" },
    undefined,
    {
      mailer: createSmtpMailer({
        smtpUrl: mail.smtpUrl,
        from: "Tenantry <no-reply@tenantry.test>",
      }),
    },
    // Journaled to disk: the promise below is checked in the control journal file too.
    { journal: true },
  );
  acme = await h.tenant("acme");
});
afterAll(async () => {
  await h?.stop();
  await mail?.stop();
});

describe("forgot password (tenant app)", () => {
  it("answers a known and an unknown email alike; the known one gets a link naming the organisation", async () => {
    const api = appClient(h.url);
    const known = await api.auth.requestPasswordReset.mutate({ email: acme.ownerEmail });
    const unknown = await api.auth.requestPasswordReset.mutate({ email: "nobody@nowhere.test" });
    expect(known).toEqual(unknown);
    expect(known).toEqual({ ok: true, message: RESET_REQUESTED_MESSAGE });

    const { message, token } = await linkFor(acme.ownerEmail);
    tenantTokens.push(token);
    expect(message.subject).toBe("Reset your Tenant acme password");
    expect(message.text).toContain("http://app.tenantry.test/reset-password#token=");
    expect(message.html).toContain("Tenant acme");
    expect(message.text).toMatch(/expires in 30 minutes/);
    // Nothing went to the unknown address.
    expect(
      (await mail.messages()).some((m) => m.to.some((t) => t.address === "nobody@nowhere.test")),
    ).toBe(false);

    // A password the policy refuses keeps the link usable.
    const weak = await failure(api.auth.resetPassword.mutate({ token, password: "password123" }));
    expect(weak).toMatchObject({ httpStatus: 400, reason: "WEAK_PASSWORD" });

    const done = await api.auth.resetPassword.mutate({ token, password: NEW_PASSWORD });
    expect(done).toEqual({
      ok: true,
      email: acme.ownerEmail,
      tenant: { slug: "acme", name: "Tenant acme" },
    });
    // Every session of the user ended; the old password is gone and the new one signs in.
    expect(await failure(acme.client.auth.me.query())).toMatchObject({ httpStatus: 401 });
    expect(
      await failure(appClient(h.url).auth.refresh.mutate({ refreshToken: acme.refreshToken })),
    ).toMatchObject({ httpStatus: 401 });
    expect(await failure(signIn(acme.ownerEmail, OWNER_PASSWORD))).toMatchObject({
      httpStatus: 401,
    });
    expect(await signIn(acme.ownerEmail, NEW_PASSWORD)).toMatchObject({ status: "ok" });

    // The same link again.
    const reused = await failure(
      api.auth.resetPassword.mutate({ token, password: "Another-Go-55-Door!" }),
    );
    expect(reused).toMatchObject({ httpStatus: 400, reason: "RESET_TOKEN_USED" });
    expect(reused.message).toMatch(/already been used/);
  });

  it("refuses forged, malformed and expired links, each with its reason", async () => {
    const api = appClient(h.url);
    const forged = `${acme.id}.${"A".repeat(43)}`;
    expect(
      await failure(api.auth.resetPassword.mutate({ token: forged, password: NEW_PASSWORD })),
    ).toMatchObject({
      httpStatus: 400,
      reason: "RESET_TOKEN_INVALID",
    });
    const noTenant = `${"f".repeat(24)}.${"A".repeat(43)}`;
    expect(
      await failure(api.auth.resetPassword.mutate({ token: noTenant, password: NEW_PASSWORD })),
    ).toMatchObject({
      httpStatus: 400,
      reason: "RESET_TOKEN_INVALID",
    });
    expect(
      await failure(
        api.auth.resetPassword.mutate({ token: "not-a-token", password: NEW_PASSWORD }),
      ),
    ).toMatchObject({
      httpStatus: 400,
      reason: "RESET_TOKEN_INVALID",
    });

    const { api: ownerApi } = await signedIn(acme.ownerEmail, NEW_PASSWORD);
    await ownerApi.members.create.mutate({
      email: "late@acme.test",
      name: "Late",
      role: "member",
      password: "Member-Tardy-2026-Pass!",
    });
    await api.auth.requestPasswordReset.mutate({ email: "late@acme.test" });
    const { token } = await linkFor("late@acme.test");
    tenantTokens.push(token);
    // Thirty minutes later (moved in the tenant database, where the link lives).
    await h.tenancy.withTenant(acme.id, ({ models }) =>
      models.PasswordReset.updateOne(
        { tokenHash: createHash("sha256").update(token).digest("hex") },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      ),
    );
    const expired = await failure(api.auth.resetPassword.mutate({ token, password: NEW_PASSWORD }));
    expect(expired).toMatchObject({ httpStatus: 400, reason: "RESET_TOKEN_EXPIRED" });
    expect(expired.message).toMatch(/expired/);
  });

  it("an email in two organisations gets one mail with a link per organisation", async () => {
    const both = "both@shared.test";
    const globex = await h.tenant("globex");
    for (const t of [acme, globex]) {
      const { api: owner } = await signedIn(
        t.ownerEmail,
        t === acme ? NEW_PASSWORD : OWNER_PASSWORD,
      );
      await owner.members.create.mutate({
        email: both,
        name: "Both",
        role: "member",
        password: "Shared-Member-2026-Pass!",
      });
    }
    await appClient(h.url).auth.requestPasswordReset.mutate({ email: both });
    const message = await mail.waitForMessage(both);
    expect(message.subject).toBe("Reset your password");
    expect(message.text).toMatch(/belongs to 2 organisations/);
    const acmeToken = tokenIn(message.text, "Tenant acme");
    const globexToken = tokenIn(message.text, "Tenant globex");
    tenantTokens.push(acmeToken, globexToken);
    const done = await appClient(h.url).auth.resetPassword.mutate({
      token: globexToken,
      password: NEW_PASSWORD,
    });
    expect(done.tenant.slug).toBe("globex");
    expect(await signIn(both, NEW_PASSWORD, "globex")).toMatchObject({ status: "ok" });
    // Only globex's password changed.
    expect(await signIn(both, "Shared-Member-2026-Pass!", "acme")).toMatchObject({ status: "ok" });
  });

  it("limits reset requests per email from one address", async () => {
    const api = appClient(h.url);
    for (let i = 0; i < 5; i++)
      await api.auth.requestPasswordReset.mutate({ email: "spam@nowhere.test" });
    const limited = await failure(
      api.auth.requestPasswordReset.mutate({ email: "spam@nowhere.test" }),
    );
    expect(limited).toMatchObject({ httpStatus: 429, reason: "RATE_LIMITED" });
    expect(
      await failure(api.auth.requestPasswordReset.mutate({ email: "not an email" })),
    ).toMatchObject({
      httpStatus: 400,
    });
  });
});

describe("reset links sent by someone else", () => {
  it("an owner sends a member a link (audited); a member may not, an admin may not for an owner", async () => {
    const { api: ownerApi, user: owner } = await signedIn(acme.ownerEmail, NEW_PASSWORD);
    const { member } = await ownerApi.members.create.mutate({
      email: "mia@acme.test",
      name: "Mia",
      role: "member",
      password: "Mia-Member-2026-Pass!",
    });
    const { member: adminMember } = await ownerApi.members.create.mutate({
      email: "ada@acme.test",
      name: "Ada",
      role: "admin",
      password: "Ada-Admin-2026-Pass!",
    });
    expect(await ownerApi.members.sendPasswordReset.mutate({ userId: member.id })).toEqual({
      ok: true,
      sentTo: "mia@acme.test",
    });
    const { message, token } = await linkFor("mia@acme.test");
    tenantTokens.push(token);
    expect(message.text).toContain(`${acme.ownerEmail} sent you a link`);
    await appClient(h.url).auth.resetPassword.mutate({ token, password: NEW_PASSWORD });
    expect(await signIn("mia@acme.test", NEW_PASSWORD)).toMatchObject({ status: "ok" });

    const audit = await ownerApi.audit.list.query({ action: "members.sendPasswordReset" });
    expect(audit.items[0]).toMatchObject({ actor: { email: acme.ownerEmail }, target: member.id });

    const { api: miaApi } = await signedIn("mia@acme.test", NEW_PASSWORD);
    expect(
      await failure(miaApi.members.sendPasswordReset.mutate({ userId: adminMember.id })),
    ).toMatchObject({
      httpStatus: 403,
    });
    const { api: adaApi } = await signedIn("ada@acme.test", "Ada-Admin-2026-Pass!");
    expect(
      await failure(adaApi.members.sendPasswordReset.mutate({ userId: owner.id })),
    ).toMatchObject({
      httpStatus: 403,
      reason: "FORBIDDEN_ROLE",
    });
  });

  it("a super admin sends a tenant's owner a link with a reason, audited; the answer holds no link", async () => {
    const initech = await h.tenant("initech");
    const noReason = await failure(
      h.admin.tenants.sendOwnerReset.mutate({ id: initech.id, reason: "" }),
    );
    expect(noReason).toMatchObject({ httpStatus: 400 });
    const sent = await h.admin.tenants.sendOwnerReset.mutate({
      id: initech.id,
      reason: "Owner lost access, ticket 4711",
    });
    expect(sent).toEqual({ ok: true, sentTo: [initech.ownerEmail] });
    const { message, token } = await linkFor(initech.ownerEmail);
    tenantTokens.push(token);
    expect(message.text).toContain("A Tenantry platform administrator sent you a link");
    await appClient(h.url).auth.resetPassword.mutate({ token, password: NEW_PASSWORD });
    expect(await signIn(initech.ownerEmail, NEW_PASSWORD)).toMatchObject({ status: "ok" });

    const audit = await h.admin.audit.list.query({ action: "tenant.ownerResetSent" });
    expect(audit.items[0]).toMatchObject({
      tenantId: initech.id,
      actor: { type: "admin", email: ADMIN.email },
      details: { reason: "Owner lost access, ticket 4711", emails: [initech.ownerEmail] },
    });
    expect(JSON.stringify(audit.items[0])).not.toContain(token);
  });
});

describe("forgot password (admin app)", () => {
  it("mails a super admin a link to the admin app; using it ends their sessions", async () => {
    const admin = adminClient(h.url);
    const known = await admin.auth.requestPasswordReset.mutate({ email: ADMIN.email });
    const unknown = await admin.auth.requestPasswordReset.mutate({ email: "ghost@tenantry.test" });
    expect(known).toEqual(unknown);
    const { message, token } = await linkFor(ADMIN.email, /admin password/);
    expect(message.text).toContain("http://admin.tenantry.test/reset-password#token=");
    const done = await admin.auth.resetPassword.mutate({ token, password: NEW_PASSWORD });
    expect(done).toEqual({ ok: true, email: ADMIN.email });
    expect(await failure(h.admin.auth.me.query())).toMatchObject({ httpStatus: 401 });
    expect(
      await failure(admin.auth.resetPassword.mutate({ token, password: NEW_PASSWORD })),
    ).toMatchObject({
      reason: "RESET_TOKEN_USED",
    });
    expect(
      await admin.auth.login.mutate({ email: ADMIN.email, password: NEW_PASSWORD }),
    ).toMatchObject({
      status: "ok",
    });
  });
});

describe("the promise", () => {
  it("no tenant user's reset token, nor its hash, is anywhere in the control database", async () => {
    expect(tenantTokens.length).toBeGreaterThanOrEqual(6);
    const needles = tenantTokens.flatMap((t) => [
      t,
      t.split(".")[1] ?? t,
      createHash("sha256").update(t).digest("hex"),
    ]);
    const conn = await mongoose.createConnection(h.uri, { dbName: h.controlDbName }).asPromise();
    try {
      const db = conn.db;
      if (!db) throw new Error("no control database handle");
      const collections = await db.listCollections().toArray();
      let scanned = 0;
      for (const { name } of collections) {
        for (const doc of await db.collection(name).find({}).toArray()) {
          scanned++;
          const text = JSON.stringify(doc);
          for (const needle of needles)
            expect(text.includes(needle), `${name} holds a tenant reset token`).toBe(false);
        }
      }
      expect(scanned).toBeGreaterThan(10);
      // Nor in the control database's journal: every write it ever took, superseded ones too.
      const journal = h.journal();
      for (const needle of needles)
        expect(journal.includes(needle), "the control journal holds a tenant reset token").toBe(
          false,
        );
      // The tenant's own database holds them (hashed only).
      await h.tenancy.withTenant(acme.id, async ({ models }) => {
        const links = await models.PasswordReset.find({}).lean();
        expect(links.length).toBeGreaterThan(0);
        expect(JSON.stringify(links)).not.toContain(tenantTokens[0]);
      });
    } finally {
      await conn.close();
    }
  });
});
