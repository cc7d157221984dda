// Invitations over real HTTP with real mail (nodemailer to a maildev catcher): the owner invites,
// the mail names the organisation and the inviter, the accept page's details and the acceptance
// go through tRPC, and every unusable link is a 400 that says why.
import type { MailCatcher } from "@tenantry/test-kit";
import { startMailCatcher } from "@tenantry/test-kit";
import { createSmtpMailer } from "@tenantry/tenancy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../../test/api-harness";
import { appClient, failure, startHarness } from "../../../test/api-harness";

const PASSWORD = "Invited-Pass-2026-ok!";
let h: Harness;
let mail: MailCatcher;
let acme: TenantFixture;

beforeAll(async () => {
  mail = await startMailCatcher();
  h = await startHarness({}, undefined, {
    mailer: createSmtpMailer({ smtpUrl: mail.smtpUrl, from: "Tenantry <no-reply@tenantry.test>" }),
  });
  acme = await h.tenant("acme");
});
afterAll(async () => {
  await h?.stop();
  await mail?.stop();
});

const anon = () => appClient(h.url);
const tokenOf = (url: string | null) => /#token=(\S+)$/.exec(url ?? "")?.[1] ?? "";

async function invite(email: string) {
  const res = await acme.client.members.create.mutate({
    email,
    name: "New Person",
    role: "member",
  });
  return { ...res, token: tokenOf(res.inviteUrl) };
}

describe("members.create without a password (invite)", () => {
  it("mails the link, shows it once, names org and inviter; accepting signs the member in", async () => {
    const res = await invite("nia@acme.test");
    expect(res).toMatchObject({ member: { status: "invited" }, emailed: true });
    expect(res.inviteUrl).toMatch(/^http:\/\/app\.tenantry\.test\/invite#token=[a-f0-9]{24}\./);

    const message = await mail.waitForMessage("nia@acme.test");
    expect(message.subject).toBe("You're invited to join Tenant acme");
    expect(message.text).toContain(
      "Owner of acme (owner@acme.test) invited you to join Tenant acme",
    );
    expect(message.text).toContain(res.inviteUrl);

    expect(await anon().auth.inviteDetails.mutate({ token: res.token })).toEqual({
      organisation: "Tenant acme",
      inviter: "Owner of acme (owner@acme.test)",
      email: "nia@acme.test",
      expiresAt: expect.any(Date),
      existingAccount: false,
    });

    expect(
      (await failure(anon().auth.acceptInvite.mutate({ token: res.token, password: "weak" })))
        .reason,
    ).toBe("WEAK_PASSWORD");
    const accepted = await anon().auth.acceptInvite.mutate({
      token: res.token,
      password: PASSWORD,
    });
    expect(accepted).toMatchObject({
      status: "ok",
      user: { email: "nia@acme.test", role: "member" },
      tenant: { slug: "acme" },
    });
    // Signed in: the access token it returned works.
    const me = await appClient(h.url, accepted.accessToken ?? "").auth.me.query();
    expect(me.user.email).toBe("nia@acme.test");

    const reused = await failure(
      anon().auth.acceptInvite.mutate({ token: res.token, password: PASSWORD }),
    );
    expect(reused).toMatchObject({ httpStatus: 400, reason: "INVITE_USED" });
    expect(reused.message).toMatch(/already been accepted/);

    const audit = await acme.client.audit.list.query({ action: "members.acceptInvite" });
    expect(audit.items.map((a) => a.target)).toEqual([res.member.id]);
  });

  it("refuses expired, forged and malformed links with a 400 naming the reason", async () => {
    const res = await invite("old@acme.test");
    await h.tenancy.withTenant(acme.id, ({ models }) =>
      models.Invite.updateOne(
        { tokenHash: { $exists: true }, userId: res.member.id },
        {
          $set: { expiresAt: new Date(Date.now() - 1000) },
        },
      ),
    );
    const expired = await failure(
      anon().auth.acceptInvite.mutate({ token: res.token, password: PASSWORD }),
    );
    expect(expired).toMatchObject({ httpStatus: 400, reason: "INVITE_EXPIRED" });
    expect(expired.message).toMatch(/expired/);
    expect((await failure(anon().auth.inviteDetails.mutate({ token: res.token }))).reason).toBe(
      "INVITE_EXPIRED",
    );

    for (const token of [
      `${acme.id}.${"B".repeat(43)}`,
      `${"f".repeat(24)}.${"B".repeat(43)}`,
      "garbage",
    ]) {
      const forged = await failure(anon().auth.acceptInvite.mutate({ token, password: PASSWORD }));
      expect(forged).toMatchObject({ httpStatus: 400, reason: "INVITE_INVALID" });
    }
    // Bad input never reaches the use case.
    const tooLong = await failure(anon().auth.inviteDetails.mutate({ token: "x".repeat(201) }));
    expect(tooLong).toMatchObject({ httpStatus: 400, code: "BAD_REQUEST" });
    const extra = await failure(
      anon().auth.acceptInvite.mutate({
        token: res.token,
        password: PASSWORD,
        role: "owner",
      } as never),
    );
    expect(extra).toMatchObject({ httpStatus: 400, code: "BAD_REQUEST" });
  });

  it("lists pending invites with expiry; resend re-mails and kills the old link; revoke says revoked", async () => {
    const res = await invite("pat@acme.test");
    await mail.waitForMessage("pat@acme.test");
    const pending = await acme.client.members.pendingInvites.query();
    const row = pending.items.find((p) => p.member.email === "pat@acme.test");
    expect(row).toMatchObject({ state: "pending", invitedBy: "Owner of acme (owner@acme.test)" });
    expect(row?.expiresAt).toEqual(res.inviteExpiresAt);

    const resent = await acme.client.members.resendInvite.mutate({ userId: res.member.id });
    expect(resent.emailed).toBe(true);
    const second = tokenOf(resent.inviteUrl);
    expect(second).not.toBe(res.token);
    const mails = (await mail.messages()).filter((m) =>
      m.to.some((t) => t.address === "pat@acme.test"),
    );
    expect(mails.at(-1)?.text).toContain(resent.inviteUrl);
    expect(
      (await failure(anon().auth.acceptInvite.mutate({ token: res.token, password: PASSWORD })))
        .reason,
    ).toBe("INVITE_REVOKED");

    await acme.client.members.revokeInvite.mutate({ userId: res.member.id });
    const revoked = await failure(
      anon().auth.acceptInvite.mutate({ token: second, password: PASSWORD }),
    );
    expect(revoked).toMatchObject({ httpStatus: 400, reason: "INVITE_REVOKED" });
    expect(
      (await acme.client.members.pendingInvites.query()).items.find(
        (p) => p.member.id === res.member.id,
      )?.state,
    ).toBe("revoked");

    const audit = await acme.client.audit.list.query({});
    const mine = audit.items.filter((a) => a.target === res.member.id).map((a) => a.action);
    expect(mine.sort()).toEqual([
      "members.invite",
      "members.inviteResent",
      "members.inviteRevoked",
    ]);

    // Only invited members: an active member has no invite to resend.
    const active = await failure(
      acme.client.members.resendInvite.mutate({
        userId: (await acme.client.auth.me.query()).user.id,
      }),
    );
    expect(active).toMatchObject({ httpStatus: 400, reason: "INVALID_INPUT" });
    const unknown = await failure(
      acme.client.members.revokeInvite.mutate({ userId: "0".repeat(24) }),
    );
    expect(unknown).toMatchObject({ httpStatus: 404, reason: "NOT_FOUND" });
    const badId = await failure(acme.client.members.revokeInvite.mutate({ userId: "nope" }));
    expect(badId).toMatchObject({ httpStatus: 400, code: "BAD_REQUEST" });
  });

  it("a plain member may not see or change invitations", async () => {
    await acme.client.members.create.mutate({
      email: "mo@acme.test",
      name: "Mo",
      role: "member",
      password: "Member-Mo-Pass-2026!",
    });
    const res = await anon().auth.login.mutate({
      email: "mo@acme.test",
      password: "Member-Mo-Pass-2026!",
    });
    if (res.status !== "ok") throw new Error("mo could not sign in");
    const mo = appClient(h.url, res.accessToken ?? "");
    expect((await failure(mo.members.pendingInvites.query())).httpStatus).toBe(403);
    const target = await invite("mo-target@acme.test");
    expect(
      (await failure(mo.members.resendInvite.mutate({ userId: target.member.id }))).httpStatus,
    ).toBe(403);
  });
});
