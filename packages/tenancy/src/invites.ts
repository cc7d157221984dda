// Invitations: an owner or admin invites someone by email; the invited member holds a seat as
// "invited" and sets a password through a one-time link (link-tokens.ts) that lives in the
// tenant's own database (the control database never sees it). The link is mailed, naming the
// organisation and the inviter, and shown once to the inviter too (they can pass it on when mail is
// down). Resend replaces the link (the old one stops working), revoke withdraws it, accept sets
// the password and activates the member. Each step is audited once in the tenant's log.
import { Types } from "mongoose";

import {
  InvalidInput,
  InviteRefused,
  MemberNotFound,
  RoleForbidden,
  SwitchRefused,
} from "./errors";
import type { InviteRefusalCode } from "./errors";
import type { LinkRefusal } from "./link-tokens";
import { claimLink, findUsableLink, issueLink, linkRoutingId, revokeLinks } from "./link-tokens";
import type { Mailer } from "./mail/mailer";
import { inviteMail } from "./mail/templates";
import type { AddMemberInput, MemberActor, Members } from "./members";
import { recordTenantAudit } from "./members";
import type { SwitchOrigin } from "./org-switch";
import { assertPersonSession, switchRoute, switchSettings } from "./org-switch";
import type { PasswordHasher } from "./password-hashing";
import { checkPassword } from "./policy-checks";
import type { TenantDirectory } from "./tenant-directory";
import { normalizeEmail } from "./tenant-directory";
import type { TenancyLogger } from "./tenancy-logger";
import type { TenantScope } from "./tenancy-runtime";
import type { InviteDoc, UserDoc } from "./tenant-models";
import type { TenantRecord } from "./tenant-registry";

export const INVITE_TTL_MS = 7 * 24 * 3600_000;

/** The link of an invite as its inviter sees it, once: the URL, its expiry, whether it was mailed. */
export interface IssuedInvite {
  url: string;
  expiresAt: Date;
  emailed: boolean;
}

/** An invited member and the state of their latest link ("none": no link left, e.g. purged). */
export interface PendingInvite {
  member: UserDoc;
  state: "pending" | "expired" | "revoked" | "none";
  expiresAt: Date | null;
  invitedAt: Date | null;
  invitedBy: string | null;
}

/** What the accept page shows before the password is chosen. */
export interface InviteDetails {
  organisation: string;
  inviter: string | null;
  email: string;
  expiresAt: Date;
  /**
   * The email is a member of another live organisation (directory) and this one does not ask for
   * its own password: the page offers "Join with your existing account".
   */
  existingAccount: boolean;
}

type WithTenant = <T>(tenantId: string, fn: (scope: TenantScope) => Promise<T>) => Promise<T>;

const INVITE_REFUSALS: Record<LinkRefusal, InviteRefusalCode> = {
  invalid: "INVITE_INVALID",
  expired: "INVITE_EXPIRED",
  used: "INVITE_USED",
  revoked: "INVITE_REVOKED",
};
const refuseInvite = (why: LinkRefusal) => new InviteRefused(INVITE_REFUSALS[why]);

const inviterOf = (invite: Pick<InviteDoc, "invitedByName" | "invitedByEmail">): string | null => {
  const { invitedByName: name, invitedByEmail: email } = invite;
  if (name && email) return `${name} (${email})`;
  return name ?? email ?? null;
};

export class Invites {
  constructor(
    private readonly deps: {
      members: Members;
      hasher: PasswordHasher;
      mailer: Mailer;
      logger: TenancyLogger;
      directory: TenantDirectory;
      withTenant: WithTenant;
    },
  ) {}

  /**
   * Adds the member as "invited" (members.add: roles, seats, directory; audited as
   * `members.invite`) and mails them a link to `acceptUrl` (the web app's /invite page).
   */
  async invite(
    scope: TenantScope,
    actor: MemberActor,
    input: Omit<AddMemberInput, "password">,
    acceptUrl: string,
  ): Promise<{ member: UserDoc; invite: IssuedInvite }> {
    const member = await this.deps.members.add(scope, actor, { ...input, password: null });
    return { member, invite: await this.issue(scope, actor, member, acceptUrl) };
  }

  /** A fresh link, mailed again; every earlier link stops working. Audited as `members.inviteResent`. */
  async resend(
    scope: TenantScope,
    actor: MemberActor,
    userId: string,
    acceptUrl: string,
  ): Promise<{ member: UserDoc; invite: IssuedInvite }> {
    const member = await this.invitedMember(scope, actor, userId);
    const replaced = await revokeLinks(scope.models.Invite, member._id);
    const invite = await this.issue(scope, actor, member, acceptUrl);
    await recordTenantAudit(scope, actor, "members.inviteResent", member._id.toString(), {
      email: member.email,
      replaced,
      emailed: invite.emailed,
    });
    return { member, invite };
  }

  /**
   * Withdraws the member's link (they stay invited, holding their seat, until resent or removed).
   * Audited as `members.inviteRevoked`.
   */
  async revoke(scope: TenantScope, actor: MemberActor, userId: string): Promise<UserDoc> {
    const member = await this.invitedMember(scope, actor, userId);
    const revoked = await revokeLinks(scope.models.Invite, member._id);
    await recordTenantAudit(scope, actor, "members.inviteRevoked", member._id.toString(), {
      email: member.email,
      revoked,
    });
    return member;
  }

  /** Every invited member, oldest first, with their latest link's state and expiry. */
  async listPending(scope: TenantScope): Promise<PendingInvite[]> {
    const { User, Invite } = scope.models;
    const members = await User.find({ status: "invited" }).sort({ _id: 1 }).lean<UserDoc[]>();
    if (members.length === 0) return [];
    const invites = await Invite.find({ userId: { $in: members.map((m) => m._id) } })
      .sort({ createdAt: -1, _id: -1 })
      .lean<InviteDoc[]>();
    const latest = new Map<string, InviteDoc>();
    for (const invite of invites) {
      const key = invite.userId.toString();
      if (!latest.has(key)) latest.set(key, invite);
    }
    const now = Date.now();
    return members.map((member) => {
      const invite = latest.get(member._id.toString());
      if (!invite || invite.usedAt)
        return { member, state: "none", expiresAt: null, invitedAt: null, invitedBy: null };
      return {
        member,
        state: invite.revokedAt
          ? "revoked"
          : invite.expiresAt.getTime() <= now
            ? "expired"
            : "pending",
        expiresAt: invite.expiresAt,
        invitedAt: invite.createdAt,
        invitedBy: inviterOf(invite),
      };
    });
  }

  /** The organisation, inviter and email of a usable link (the accept page); refuses as accept would. */
  async details(token: string): Promise<InviteDetails> {
    return this.inTenantOf(token, async (scope) => {
      const invite = await findUsableLink(scope.models.Invite, token);
      if (typeof invite === "string") throw refuseInvite(invite);
      const user = await this.invitee(scope, invite);
      return {
        organisation: scope.tenant.name,
        inviter: inviterOf(invite),
        email: user.email,
        expiresAt: invite.expiresAt,
        existingAccount: await this.joinableWithAccount(scope, user),
      };
    });
  }

  /**
   * Joins with the account the caller is signed in with elsewhere: their session in another
   * organisation proves the invited email, so the member is activated with no password of its own
   * (they enter by switching, or set one through "forgot password"). Refused when the emails differ
   * (INVITE_EMAIL_MISMATCH, the link stays usable), when this organisation asks for its own
   * password (JOIN_NEEDS_PASSWORD), for an API key and an impersonation. Audited as
   * `members.acceptInvite` with `method: "existingAccount"`. The caller signs them in.
   */
  async acceptWithAccount(
    token: string,
    from: SwitchOrigin,
  ): Promise<{ user: UserDoc; tenant: TenantRecord }> {
    assertPersonSession(from, "joining with an existing account");
    const email = normalizeEmail(from.user.email);
    return this.inTenantOf(token, async (scope) => {
      const { User, Invite } = scope.models;
      const user = await claimLink(Invite, token, refuseInvite, async (invite) => {
        const found = await this.invitee(scope, invite);
        if (found.email !== email) throw new SwitchRefused("INVITE_EMAIL_MISMATCH");
        const route = switchRoute({
          tenant: scope.tenant,
          settings: await switchSettings(scope),
          member: found,
        });
        if (route.kind !== "direct") throw new SwitchRefused("JOIN_NEEDS_PASSWORD");
        return found;
      });
      const accepted = await User.findOneAndUpdate(
        { _id: user._id, status: "invited" },
        { $set: { status: "active" } },
        { returnDocument: "after" },
      ).lean<UserDoc>();
      if (!accepted) throw new InviteRefused("INVITE_REVOKED");
      await recordTenantAudit(
        scope,
        { user: accepted },
        "members.acceptInvite",
        user._id.toString(),
        { email: accepted.email, method: "existingAccount", from: from.scope.tenant.slug },
      );
      return { user: accepted, tenant: scope.tenant };
    });
  }

  /** Whether the invitee may join with an account of theirs in another live organisation. */
  private async joinableWithAccount(scope: TenantScope, invitee: UserDoc): Promise<boolean> {
    const elsewhere = (await this.deps.directory.findByEmail(invitee.email)).some(
      (m) => m.tenantId !== scope.tenant.id && m.tenantStatus === "active",
    );
    if (!elsewhere) return false;
    const settings = await switchSettings(scope);
    return switchRoute({ tenant: scope.tenant, settings, member: invitee }).kind === "direct";
  }

  /**
   * Sets the invited member's password (the one password policy applies; a refused password keeps
   * the link usable) and activates them; the link then works no more. Audited as
   * `members.acceptInvite` by the member. The caller signs them in.
   */
  async accept(
    token: string,
    password: string,
    name?: string | null,
  ): Promise<{ user: UserDoc; tenant: TenantRecord }> {
    return this.inTenantOf(token, async (scope) => {
      const { User, Invite } = scope.models;
      const { user, passwordHash } = await claimLink(
        Invite,
        token,
        refuseInvite,
        async (invite) => {
          const found = await this.invitee(scope, invite);
          checkPassword(password, found.email);
          return { user: found, passwordHash: await this.deps.hasher.hash(password) };
        },
      );
      const accepted = await User.findOneAndUpdate(
        { _id: user._id, status: "invited" },
        {
          $set: {
            passwordHash,
            status: "active",
            passwordChangedAt: new Date(),
            ...(name ? { name } : {}),
          },
        },
        { returnDocument: "after" },
      ).lean<UserDoc>();
      // Deactivated or removed between the claim and here: the link is spent either way.
      if (!accepted) throw new InviteRefused("INVITE_REVOKED");
      await recordTenantAudit(
        scope,
        { user: accepted },
        "members.acceptInvite",
        user._id.toString(),
        {
          email: accepted.email,
        },
      );
      return { user: accepted, tenant: scope.tenant };
    });
  }

  /** Runs `fn` in the tenant the token routes to; a malformed token or an unknown tenant is INVITE_INVALID. */
  private async inTenantOf<T>(token: string, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
    const tenantId = linkRoutingId(token);
    if (!tenantId) throw new InviteRefused("INVITE_INVALID");
    try {
      return await this.deps.withTenant(tenantId, fn);
    } catch (err) {
      // A routing id naming no tenant is a forged link, not a missing organisation.
      if ((err as { code?: unknown }).code === "TENANT_NOT_FOUND")
        throw new InviteRefused("INVITE_INVALID");
      throw err;
    }
  }

  /** The member a link invites, while still invited: a removed or deactivated one was withdrawn. */
  private async invitee(scope: TenantScope, invite: InviteDoc): Promise<UserDoc> {
    const user = await scope.models.User.findById(invite.userId).lean<UserDoc>();
    if (!user || user.status === "deactivated") throw new InviteRefused("INVITE_REVOKED");
    if (user.status !== "invited") throw new InviteRefused("INVITE_USED");
    return user;
  }

  /** An invited member the actor may invite again (only an owner re-invites an owner). */
  private async invitedMember(
    scope: TenantScope,
    actor: MemberActor,
    userId: string,
  ): Promise<UserDoc> {
    if (!Types.ObjectId.isValid(userId)) throw new MemberNotFound();
    const member = await scope.models.User.findById(userId).lean<UserDoc>();
    if (!member) throw new MemberNotFound();
    if (member.role === "owner" && actor.user.role !== "owner")
      throw new RoleForbidden("Only an owner can invite an owner");
    if (member.status !== "invited")
      throw new InvalidInput(
        member.status === "active"
          ? `${member.email} has already accepted their invitation`
          : `${member.email} is deactivated; reactivate them first`,
      );
    return member;
  }

  /** Stores a fresh link naming the inviter and mails it; a mail that fails leaves `emailed` false. */
  private async issue(
    scope: TenantScope,
    actor: MemberActor,
    member: UserDoc,
    acceptUrl: string,
  ): Promise<IssuedInvite> {
    const inviter = await this.inviterFields(scope, actor);
    const { token, expiresAt } = await issueLink(
      scope.models.Invite,
      scope.tenant.id,
      member._id,
      INVITE_TTL_MS,
      inviter,
    );
    const url = `${acceptUrl}#token=${token}`;
    let emailed = true;
    try {
      await this.deps.mailer.send(
        inviteMail({
          to: member.email,
          organisation: scope.tenant.name,
          inviter: inviterOf(inviter) ?? "An administrator",
          url,
          expiresAt,
        }),
      );
    } catch (err) {
      // The member and the link exist either way: the inviter is shown the link to pass on.
      emailed = false;
      this.deps.logger.warn(
        { err: (err as Error).message, tenantId: scope.tenant.id },
        "invite mail not sent",
      );
    }
    return { url, expiresAt, emailed };
  }

  private async inviterFields(
    scope: TenantScope,
    actor: MemberActor,
  ): Promise<Pick<InviteDoc, "invitedByName" | "invitedByEmail">> {
    if (actor.serviceAccount)
      return { invitedByName: `API key "${actor.serviceAccount.name}"`, invitedByEmail: null };
    const me = await scope.models.User.findById(actor.user._id).select("name").lean<UserDoc>();
    return { invitedByName: me?.name || null, invitedByEmail: actor.user.email || null };
  }
}
