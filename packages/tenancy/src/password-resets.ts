// Password recovery. A reset link carries "<routing id>.<256 random bits>"; only its sha-256 is
// stored, next to the account it resets: in the tenant's own database for tenant users (so the
// control database never holds a tenant user's token or hash) and in the control database only
// for super admins. A link works once, for 30 minutes, and using it ends every session of that
// account. The tenant-less "forgot password" finds the email's organisations in the directory
// (which holds no secret) and mails one link per organisation.
import type { Model } from "mongoose";
import { Types } from "mongoose";

import type { AuditLog } from "./audit-log";
import type { AdminDoc, AuditActor, ControlModels } from "./control-models";
import {
  InvalidInput,
  MailUnavailable,
  MemberNotFound,
  ResetLinkRefused,
  RoleForbidden,
} from "./errors";
import {
  claimLink as claimStoredLink,
  issueLink as issueStoredLink,
  linkRoutingId,
} from "./link-tokens";
import type { LinkRefusal } from "./link-tokens";
import type { Mailer } from "./mail/mailer";
import type { ResetLink } from "./mail/templates";
import { passwordResetMail } from "./mail/templates";
import type { MemberActor } from "./members";
import { recordTenantAudit } from "./members";
import type { PasswordHasher } from "./password-hashing";
import type { PasswordResetDoc } from "./password-reset-schema";
import { checkPassword } from "./policy-checks";
import type { TenantDirectory } from "./tenant-directory";
import { normalizeEmail } from "./tenant-directory";
import type { UserDoc } from "./tenant-models";
import type { TenantScope } from "./tenancy-runtime";

export const RESET_LINK_TTL_MS = 30 * 60_000;
/** Where the links point: `${url}#token=…` (a fragment, so it stays out of logs and Referer). */
export interface ResetUrls {
  /** The tenant app's reset page, e.g. https://app.example.com/reset-password. */
  tenant: string;
  /** The admin app's reset page. */
  admin: string;
}

type WithTenant = <T>(tenantId: string, fn: (scope: TenantScope) => Promise<T>) => Promise<T>;

const RESET_REFUSALS = {
  invalid: "RESET_TOKEN_INVALID",
  expired: "RESET_TOKEN_EXPIRED",
  used: "RESET_TOKEN_USED",
  // Resets are never revoked; a revoked link would be as good as unknown.
  revoked: "RESET_TOKEN_INVALID",
} as const satisfies Record<LinkRefusal, string>;
const refuseReset = (why: LinkRefusal) => new ResetLinkRefused(RESET_REFUSALS[why]);

/** Stores a fresh link for `userId` in `model` (tenant or control database); returns the token. */
async function issueLink(
  model: Model<PasswordResetDoc>,
  routingId: string,
  userId: Types.ObjectId,
  requestedBy: string | null,
): Promise<string> {
  return (await issueStoredLink(model, routingId, userId, RESET_LINK_TTL_MS, { requestedBy }))
    .token;
}

/** Claims a reset link once `check` passes (see link-tokens.ts); refuses forged, expired and used ones. */
const claimLink = <T>(
  model: Model<PasswordResetDoc>,
  token: string,
  check: (link: PasswordResetDoc) => Promise<T>,
): Promise<T> => claimStoredLink(model, token, refuseReset, check);

export class PasswordResets {
  constructor(
    private readonly deps: {
      control: ControlModels;
      directory: TenantDirectory;
      hasher: PasswordHasher;
      audit: AuditLog;
      mailer: Mailer;
      withTenant: WithTenant;
    },
  ) {}

  private async send(message: Parameters<Mailer["send"]>[0]): Promise<void> {
    try {
      await this.deps.mailer.send(message);
    } catch (err) {
      throw new MailUnavailable(`The email could not be sent: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /**
   * "Forgot password" without an organisation: one mail with a link for each active organisation
   * where the email has an active account. Sends nothing for an unknown email; the caller answers
   * the same either way and runs this off the response path. Audited as `auth.passwordResetRequested`.
   */
  async requestForEmail(email: string, urls: ResetUrls): Promise<{ sent: number }> {
    const normalized = normalizeEmail(email);
    const memberships = (await this.deps.directory.findByEmail(normalized)).filter(
      (m) => m.tenantStatus === "active",
    );
    const links: ResetLink[] = [];
    for (const m of memberships) {
      const token = await this.deps.withTenant(m.tenantId, async (scope) => {
        const user = await scope.models.User.findOne({
          email: normalized,
          status: "active",
        }).lean<UserDoc>();
        if (!user) return null;
        const issued = await issueLink(scope.models.PasswordReset, scope.tenant.id, user._id, null);
        await recordTenantAudit(
          scope,
          { user },
          "auth.passwordResetRequested",
          user._id.toString(),
        );
        return issued;
      });
      if (token) links.push({ organisation: m.tenantName, url: `${urls.tenant}#token=${token}` });
    }
    if (links.length === 0) return { sent: 0 };
    await this.send(
      passwordResetMail({ to: normalized, links, expiresInMinutes: RESET_LINK_TTL_MS / 60_000 }),
    );
    return { sent: links.length };
  }

  /**
   * Sets a tenant user's new password from a link (the one password policy applies) and ends every
   * session of theirs. Audited as `auth.passwordReset` in the tenant's audit log.
   */
  async resetTenantPassword(
    token: string,
    newPassword: string,
  ): Promise<{ email: string; tenant: { slug: string; name: string } }> {
    const tenantId = linkRoutingId(token);
    if (!tenantId) throw new ResetLinkRefused("RESET_TOKEN_INVALID");
    const run = this.deps.withTenant(tenantId, async (scope) => {
      const { User, Session, PasswordReset } = scope.models;
      const user = await claimLink(PasswordReset, token, async (link) => {
        const found = await User.findById(link.userId).lean<UserDoc>();
        if (!found || found.status !== "active") throw new ResetLinkRefused("RESET_TOKEN_INVALID");
        checkPassword(newPassword, found.email);
        return found;
      });
      const now = new Date();
      await User.updateOne(
        { _id: user._id },
        {
          $set: { passwordHash: await this.deps.hasher.hash(newPassword), passwordChangedAt: now },
        },
      );
      const ended = await Session.updateMany(
        { userId: user._id, revokedAt: null },
        { $set: { revokedAt: now, revokedReason: "password-reset" } },
      );
      await recordTenantAudit(scope, { user }, "auth.passwordReset", user._id.toString(), {
        sessionsEnded: ended.modifiedCount,
      });
      return { email: user.email, tenant: { slug: scope.tenant.slug, name: scope.tenant.name } };
    });
    return run.catch((err: unknown) => {
      // A routing id naming no tenant is a forged link, not a missing organisation.
      if ((err as { code?: unknown }).code === "TENANT_NOT_FOUND")
        throw new ResetLinkRefused("RESET_TOKEN_INVALID");
      throw err;
    });
  }

  /**
   * An owner or admin mails a member a reset link (only an owner may for an owner); the sender
   * never sees the link. Audited as `members.sendPasswordReset`.
   */
  async sendToMember(
    scope: TenantScope,
    actor: MemberActor,
    userId: string,
    urls: ResetUrls,
  ): Promise<{ email: string }> {
    if (!Types.ObjectId.isValid(userId)) throw new MemberNotFound();
    const target = await scope.models.User.findById(userId).lean<UserDoc>();
    if (!target) throw new MemberNotFound();
    if (target.role === "owner" && actor.user.role !== "owner")
      throw new RoleForbidden("Only an owner can send an owner a reset link");
    if (target.status !== "active")
      throw new InvalidInput(
        target.status === "invited"
          ? "This member has not accepted their invite yet; send a new invite instead"
          : "This member is deactivated; reactivate them first",
      );
    await this.mailTenantLink(scope, target, urls, actor.user.email);
    await recordTenantAudit(scope, actor, "members.sendPasswordReset", target._id.toString(), {
      email: target.email,
    });
    return { email: target.email };
  }

  /**
   * A super admin mails a tenant's active owners a reset link, with a reason (a forgotten last-owner
   * password has this path). The admin never sees a password or a link. Audited in the control
   * log as `tenant.ownerResetSent` and in the tenant's own log.
   */
  async sendToOwners(
    tenantId: string,
    reason: string,
    actor: AuditActor,
    urls: ResetUrls,
  ): Promise<{ emails: string[] }> {
    const why = reason.trim();
    if (why.length < 3 || why.length > 500)
      throw new InvalidInput("Give a reason of 3 to 500 characters");
    const { emails, slug } = await this.deps.withTenant(tenantId, async (scope) => {
      const owners = await scope.models.User.find({ role: "owner", status: "active" })
        .sort({ createdAt: 1 })
        .lean<UserDoc[]>();
      if (owners.length === 0) throw new InvalidInput("This tenant has no active owner");
      for (const owner of owners)
        await this.mailTenantLink(scope, owner, urls, "A Tenantry platform administrator");
      await scope.models.Audit.create({
        at: new Date(),
        actorId: actor.id ?? null,
        actorEmail: actor.email ?? null,
        impersonatedBy: null,
        action: "members.ownerResetSent",
        target: null,
        details: { reason: why, emails: owners.map((o) => o.email) },
      });
      return { emails: owners.map((o) => o.email), slug: scope.tenant.slug };
    });
    await this.deps.audit.record({
      actor,
      action: "tenant.ownerResetSent",
      tenantId,
      tenantSlug: slug,
      details: { reason: why, emails },
    });
    return { emails };
  }

  private async mailTenantLink(
    scope: TenantScope,
    user: UserDoc,
    urls: ResetUrls,
    requestedBy: string,
  ): Promise<void> {
    const token = await issueLink(
      scope.models.PasswordReset,
      scope.tenant.id,
      user._id,
      requestedBy,
    );
    await this.send(
      passwordResetMail({
        to: user.email,
        links: [{ organisation: scope.tenant.name, url: `${urls.tenant}#token=${token}` }],
        expiresInMinutes: RESET_LINK_TTL_MS / 60_000,
        requestedBy,
      }),
    );
  }

  /** "Forgot password" on the admin app: mails an active super admin a link; nothing otherwise. */
  async requestForAdmin(email: string, urls: ResetUrls): Promise<{ sent: number }> {
    const normalized = normalizeEmail(email);
    const admin = await this.deps.control.Admin.findOne({
      email: normalized,
      status: "active",
    }).lean<AdminDoc>();
    if (!admin) return { sent: 0 };
    const token = await issueLink(
      this.deps.control.AdminPasswordReset,
      admin._id.toHexString(),
      admin._id,
      null,
    );
    await this.send(
      passwordResetMail({
        to: normalized,
        links: [{ organisation: null, url: `${urls.admin}#token=${token}` }],
        expiresInMinutes: RESET_LINK_TTL_MS / 60_000,
      }),
    );
    return { sent: 1 };
  }

  /** Sets a super admin's new password from a link and ends all their sessions; audited as `admin.passwordReset`. */
  async resetAdminPassword(token: string, newPassword: string): Promise<{ email: string }> {
    if (!linkRoutingId(token)) throw new ResetLinkRefused("RESET_TOKEN_INVALID");
    const { Admin, AdminSession, AdminPasswordReset } = this.deps.control;
    const admin = await claimLink(AdminPasswordReset, token, async (link) => {
      const found = await Admin.findById(link.userId).lean<AdminDoc>();
      if (!found || found.status !== "active") throw new ResetLinkRefused("RESET_TOKEN_INVALID");
      checkPassword(newPassword, found.email, "Admin");
      return found;
    });
    await Admin.updateOne(
      { _id: admin._id },
      { $set: { passwordHash: await this.deps.hasher.hash(newPassword) } },
    );
    const ended = await AdminSession.updateMany(
      { adminId: admin._id, revokedAt: null },
      { $set: { revokedAt: new Date() } },
    );
    await this.deps.audit.record({
      actor: { type: "admin", id: admin._id.toHexString(), email: admin.email },
      action: "admin.passwordReset",
      target: admin.email,
      details: { sessionsEnded: ended.modifiedCount },
    });
    return { email: admin.email };
  }
}
