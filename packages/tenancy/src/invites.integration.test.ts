// Invitations over the wire (embedded server, real SMTP to a mail catcher): the link lives only
// as a sha-256 in the tenant database, works once, expires, can be revoked, and a resend makes the
// old one useless; each refusal says why.
import { createHash } from "node:crypto";

import type { MailCatcher } from "@tenantry/test-kit";
import { startMailCatcher } from "@tenantry/test-kit";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { InvalidInput, MemberExists, RoleForbidden, WeakPassword } from "./errors";
import { createSmtpMailer } from "./mail/smtp-mailer";
import type { MemberActor } from "./members";
import type { Tenancy } from "./tenancy";
import { createTenancy } from "./tenancy";
import type { TenantScope } from "./tenancy-runtime";

const ACCEPT_URL = "http://app.crew.test/invite";
const PASSWORD = "Invited-Pass-2026-ok!";

let server: TestServer;
let mail: MailCatcher;
let tenancy: Tenancy;
let controlDbName: string;
let tenantId: string;
/** Every token issued here: none of them, nor their hashes, may reach the control database. */
const issued: string[] = [];

beforeAll(async () => {
  server = await startServer();
  mail = await startMailCatcher();
  const config = testConfig(server.uri, {
    mailer: createSmtpMailer({ smtpUrl: mail.smtpUrl, from: "Tenantry <no-reply@crew.test>" }),
  });
  controlDbName = config.controlDbName ?? "";
  tenancy = await createTenancy(config);
  tenantId = (
    await tenancy.lifecycle.provision({ slug: "crew", name: "Crew & Co", owner: owner("crew") })
  ).id;
});

afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 1000 });
  await mail?.stop();
  await server?.stop();
});

const inTenant = <T>(fn: (scope: TenantScope) => Promise<T>) => tenancy.withTenant(tenantId, fn);

const asOwner = () =>
  tenancy.withTenant(tenantId, async (scope) => {
    const user = await scope.models.User.findOne({ role: "owner" }).lean();
    if (!user) throw new Error("no owner");
    return { user } satisfies MemberActor;
  });

const tokenOf = (url: string) => {
  const token = /#token=(\S+)$/.exec(url)?.[1];
  if (!token) throw new Error(`no token in ${url}`);
  issued.push(token);
  return token;
};

async function invite(email: string, role: "member" | "admin" | "owner" = "member") {
  const actor = await asOwner();
  const done = await tenancy.withTenant(tenantId, (scope) =>
    tenancy.invites.invite(
      scope,
      actor,
      { email, name: email.split("@")[0] ?? email, role },
      ACCEPT_URL,
    ),
  );
  return { ...done, token: tokenOf(done.invite.url), actor };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a refusal");
    },
    (err: unknown) => (err as { code?: string }).code,
  );

const actions = async (target: string) =>
  tenancy.withTenant(tenantId, async ({ models }) =>
    (await models.Audit.find({ target }).sort({ at: 1, _id: 1 }).lean()).map((a) => a.action),
  );

describe("invites", () => {
  it("mails a link naming the organisation and the inviter; stores only its hash, in the tenant database", async () => {
    const { member, invite: link, token } = await invite("ivy@crew.test");
    expect(member).toMatchObject({ email: "ivy@crew.test", status: "invited", passwordHash: null });
    expect(link.emailed).toBe(true);
    expect(link.url).toMatch(new RegExp(`^${ACCEPT_URL}#token=${tenantId}\\.`));
    const days = (link.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);

    const message = await mail.waitForMessage("ivy@crew.test");
    expect(message.subject).toBe("You're invited to join Crew & Co");
    expect(message.text).toContain(
      "Owner crew (ownercrew@example.com) invited you to join Crew & Co",
    );
    expect(message.text).toContain(link.url);
    expect(message.html).toContain("Crew &amp; Co");
    expect(message.html).toContain(`href="${link.url}"`);

    const stored = await inTenant(({ models }) =>
      models.Invite.find({ userId: member._id }).lean(),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(token.split(".")[1]);

    expect(await tenancy.invites.details(token)).toEqual({
      organisation: "Crew & Co",
      inviter: "Owner crew (ownercrew@example.com)",
      email: "ivy@crew.test",
      expiresAt: link.expiresAt,
      // No membership elsewhere: nothing to join with.
      existingAccount: false,
    });
  });

  it("accepts once with a strong password, activates the member and says 'used' after", async () => {
    const { member, token } = await invite("una@crew.test");
    await expect(tenancy.invites.accept(token, "short")).rejects.toBeInstanceOf(WeakPassword);
    // A refused password leaves the link usable.
    const { user, tenant } = await tenancy.invites.accept(token, PASSWORD, "Una Used");
    expect(tenant.id).toBe(tenantId);
    expect(user).toMatchObject({ email: "una@crew.test", name: "Una Used", status: "active" });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await refusal(tenancy.invites.accept(token, PASSWORD))).toBe("INVITE_USED");
    expect(await refusal(tenancy.invites.details(token))).toBe("INVITE_USED");
    expect(await actions(member._id.toString())).toEqual([
      "members.invite",
      "members.acceptInvite",
    ]);
    // Nothing left to resend or revoke.
    const actor = await asOwner();
    await expect(
      inTenant((scope) => tenancy.invites.resend(scope, actor, member._id.toString(), ACCEPT_URL)),
    ).rejects.toBeInstanceOf(InvalidInput);
  });

  it("refuses an expired link as expired and a forged or unknown one as invalid", async () => {
    const { member, token } = await invite("eve@crew.test");
    await inTenant(({ models }) =>
      models.Invite.updateOne(
        { userId: member._id },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      ),
    );
    expect(await refusal(tenancy.invites.details(token))).toBe("INVITE_EXPIRED");
    expect(await refusal(tenancy.invites.accept(token, PASSWORD))).toBe("INVITE_EXPIRED");
    const pending = await inTenant((scope) => tenancy.invites.listPending(scope));
    expect(pending.find((p) => p.member.email === "eve@crew.test")?.state).toBe("expired");

    for (const forged of [
      `${tenantId}.${"A".repeat(43)}`, // right tenant, unknown secret
      `${"0".repeat(24)}.${"A".repeat(43)}`, // no such tenant
      "not-a-token",
      `${token}x`,
    ])
      expect(await refusal(tenancy.invites.accept(forged, PASSWORD))).toBe("INVITE_INVALID");
  });

  it("resend mails a fresh link and the old one stops working; revoke withdraws it; both audited once", async () => {
    const { member, token: first, actor } = await invite("rex@crew.test");
    const userId = member._id.toString();
    const resent = await inTenant((scope) =>
      tenancy.invites.resend(scope, actor, userId, ACCEPT_URL),
    );
    const second = tokenOf(resent.invite.url);
    expect(second).not.toBe(first);
    const mails = (await mail.messages()).filter((m) =>
      m.to.some((t) => t.address === "rex@crew.test"),
    );
    expect(mails).toHaveLength(2);
    expect(mails[1]?.text).toContain(resent.invite.url);
    expect(await refusal(tenancy.invites.accept(first, PASSWORD))).toBe("INVITE_REVOKED");

    let pending = await inTenant((scope) => tenancy.invites.listPending(scope));
    expect(pending.find((p) => p.member.email === "rex@crew.test")).toMatchObject({
      state: "pending",
      expiresAt: resent.invite.expiresAt,
      invitedBy: "Owner crew (ownercrew@example.com)",
    });

    await inTenant((scope) => tenancy.invites.revoke(scope, actor, userId));
    expect(await refusal(tenancy.invites.details(second))).toBe("INVITE_REVOKED");
    expect(await refusal(tenancy.invites.accept(second, PASSWORD))).toBe("INVITE_REVOKED");
    pending = await inTenant((scope) => tenancy.invites.listPending(scope));
    expect(pending.find((p) => p.member.email === "rex@crew.test")?.state).toBe("revoked");
    // Still invited (holding the seat) until re-sent or removed.
    expect((await inTenant(({ models }) => models.User.findById(member._id).lean()))?.status).toBe(
      "invited",
    );
    expect(await actions(userId)).toEqual([
      "members.invite",
      "members.inviteResent",
      "members.inviteRevoked",
    ]);

    // Removing an invited member revokes their link too.
    const again = await inTenant((scope) =>
      tenancy.invites.resend(scope, actor, userId, ACCEPT_URL),
    );
    const third = tokenOf(again.invite.url);
    await inTenant((scope) => tenancy.members.remove(scope, actor, userId));
    expect(await refusal(tenancy.invites.accept(third, PASSWORD))).toBe("INVITE_REVOKED");
  });

  it("keeps the members rules: duplicates refused, only an owner re-invites an owner", async () => {
    const { member, actor } = await invite("otto@crew.test", "owner");
    await expect(invite("OTTO@crew.test")).rejects.toBeInstanceOf(MemberExists);
    const { member: admin } = await invite("ada@crew.test", "admin");
    await inTenant(({ models }) =>
      models.User.updateOne({ _id: admin._id }, { $set: { status: "active" } }),
    );
    const asAdmin: MemberActor = { user: { ...admin, status: "active" } as typeof admin };
    await expect(
      inTenant((scope) =>
        tenancy.invites.resend(scope, asAdmin, member._id.toString(), ACCEPT_URL),
      ),
    ).rejects.toBeInstanceOf(RoleForbidden);
    await expect(
      inTenant((scope) => tenancy.invites.revoke(scope, asAdmin, member._id.toString())),
    ).rejects.toBeInstanceOf(RoleForbidden);
    await inTenant((scope) => tenancy.invites.revoke(scope, actor, member._id.toString()));
  });

  it("without working mail the member and the link still exist, and the inviter gets the link", async () => {
    const quiet = await createTenancy({
      ...testConfig(server.uri, { controlDbName }),
      recoverOnStart: false,
    });
    try {
      const actor = await asOwner();
      const done = await quiet.withTenant(tenantId, (scope) =>
        quiet.invites.invite(
          scope,
          actor,
          { email: "nomail@crew.test", name: "N", role: "member" },
          ACCEPT_URL,
        ),
      );
      expect(done.invite.emailed).toBe(false);
      const token = tokenOf(done.invite.url);
      expect((await quiet.invites.accept(token, PASSWORD)).user.status).toBe("active");
    } finally {
      await quiet.shutdown({ timeoutMs: 1000 });
    }
  });

  it("migration 5 moves an older tenant's invites from the expiry TTL to the purge TTL", async () => {
    const old = await tenancy.lifecycle.provision({
      slug: "crew-old",
      name: "Old",
      owner: owner("old"),
    });
    await tenancy.withTenant(old.id, async ({ models }) => {
      const invites = models.Invite.collection;
      await invites.dropIndex("purgeAt_1");
      await invites.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      await invites.insertOne({
        tokenHash: "legacy",
        userId: (await models.User.findOne().lean())?._id,
        expiresAt: new Date(Date.now() + 60_000),
        usedAt: null,
        createdAt: new Date(),
      });
      await models.Meta.updateOne(
        { _id: "schema" },
        { $set: { version: 4 }, $pull: { applied: { version: 5 } } },
      );
    });
    await tenancy.lifecycle.migrate(old.id);
    await tenancy.withTenant(old.id, async ({ models }) => {
      const names = (await models.Invite.collection.listIndexes().toArray()).map((i) => i.name);
      expect(names).toContain("purgeAt_1");
      expect(names).not.toContain("expiresAt_1");
      const legacy = await models.Invite.findOne({ tokenHash: "legacy" }).lean();
      expect(legacy?.purgeAt).toBeInstanceOf(Date);
      expect(legacy?.revokedAt).toBeNull();
    });
  });

  it("no token and no hash of any invite reached the control database", async () => {
    expect(issued.length).toBeGreaterThanOrEqual(8);
    const needles = issued.flatMap((t) => [
      t,
      t.split(".")[1] ?? t,
      createHash("sha256").update(t).digest("hex"),
    ]);
    const client = new MongoClient(server.uri);
    try {
      const db = client.db(controlDbName);
      for (const { name } of await db.listCollections().toArray()) {
        const dump = JSON.stringify(await db.collection(name).find().toArray());
        for (const needle of needles)
          expect(dump, `${name} holds an invite secret`).not.toContain(needle);
      }
    } finally {
      await client.close();
    }
  });
});
