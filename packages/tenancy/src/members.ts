// A tenant's members: list, add, change role, deactivate, reactivate, remove. The invariants live here,
// so every surface (api, CLI, scripts) gets them: only an owner changes or creates an owner; the
// last active owner can be neither demoted, deactivated nor removed; the control database's
// directory (email -> memberships) follows every change; a member who loses access loses their
// sessions; each change lands once in the tenant's own audit log, with its actor.
import { Types } from "mongoose";

import type { ServiceAccount } from "./api-key-models";
import type { MemberRole } from "./control-models";
import type { EventOutbox } from "./events/outbox";
import { InvalidInput, LastOwner, MemberExists, MemberNotFound, RoleForbidden } from "./errors";
import { revokeLinks } from "./link-tokens";
import { checkPassword } from "./policy-checks";
import type { PasswordHasher } from "./password-hashing";
import type { TenantDirectory } from "./tenant-directory";
import type { TenantPlans } from "./tenant-plans";
import { normalizeEmail } from "./tenant-directory";
import type { UserDoc } from "./tenant-models";
import { literalRegex } from "./literal-regex";
import type { TenantScope } from "./tenancy-runtime";

/** Who changes the members: a tenant user (their role is read from the tenant database). */
export interface MemberActor {
  user: Pick<UserDoc, "_id" | "email" | "role">;
  /** The super admin acting through impersonation, if any. */
  impersonatedBy?: string | null;
  /** Set when an API key acts: the entry names the key, not a person (see api-keys.ts). */
  serviceAccount?: ServiceAccount | null;
}

export interface AddMemberInput {
  email: string;
  name: string;
  role: MemberRole;
  /** Without one the member is "invited" and sets a password through an invite. */
  password?: string | null;
}

/** One entry in the tenant's own audit log (tenant database), by a tenant user. */
export async function recordTenantAudit(
  scope: TenantScope,
  actor: MemberActor,
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  const account = actor.serviceAccount;
  await scope.models.Audit.create({
    at: new Date(),
    actorId: actor.user._id.toString(),
    actorEmail: account ? null : actor.user.email,
    actorType: account ? "apiKey" : "user",
    actorName: account ? account.name : null,
    impersonatedBy: actor.impersonatedBy ?? null,
    action,
    target,
    details,
  });
}

const LEAVE_HINT = "The last owner cannot leave the organisation: transfer ownership first";

export class Members {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly hasher: PasswordHasher,
    private readonly plans: Pick<TenantPlans, "assertSeatFree">,
    private readonly events: EventOutbox,
  ) {}

  /**
   * Takes a seat (QUOTA_EXCEEDED when none is free). Audited as `members.create` (with a
   * password) or `members.invite` (without).
   */
  async add(scope: TenantScope, actor: MemberActor, input: AddMemberInput): Promise<UserDoc> {
    if (input.role === "owner" && actor.user.role !== "owner")
      throw new RoleForbidden("Only an owner can add another owner");
    const email = normalizeEmail(input.email);
    if (input.password) checkPassword(input.password, email);
    const { User } = scope.models;
    if (await User.exists({ email })) throw new MemberExists();
    await this.plans.assertSeatFree(scope);
    const passwordHash = input.password ? await this.hasher.hash(input.password) : null;
    const user = await this.events.transaction(
      scope.conn,
      scope.tenant.id,
      async (session, emit) => {
        const [created] = await User.create(
          [
            {
              email,
              name: input.name,
              role: input.role,
              passwordHash,
              status: input.password ? "active" : "invited",
            },
          ],
          { session },
        );
        if (!created) throw new Error("User.create returned nothing");
        const doc = created.toObject() as UserDoc;
        emit({
          type: "member.added",
          data: { userId: doc._id.toString(), email, role: doc.role },
        });
        return doc;
      },
    );
    await this.directory.add({
      email,
      tenantId: scope.tenant.id,
      role: user.role,
      userId: user._id.toString(),
    });
    await recordTenantAudit(
      scope,
      actor,
      input.password ? "members.create" : "members.invite",
      user._id.toString(),
      { email, role: user.role },
    );
    return user;
  }

  /** Audited as `members.changeRole`. */
  async changeRole(
    scope: TenantScope,
    actor: MemberActor,
    userId: string,
    role: MemberRole,
  ): Promise<UserDoc> {
    const target = await this.target(scope, actor, userId);
    if (role === "owner" && actor.user.role !== "owner")
      throw new RoleForbidden("Only an owner can make someone an owner");
    if (target.role === role) return target;
    if (role !== "owner") await refuseIfLastOwner(scope, target, "demoted");
    const { User } = scope.models;
    const updated = await this.events.transaction(
      scope.conn,
      scope.tenant.id,
      async (session, emit) => {
        const doc = await User.findByIdAndUpdate(
          target._id,
          { $set: { role } },
          { returnDocument: "after", session },
        ).lean<UserDoc>();
        if (doc) emit(roleChanged(doc, target.role));
        return doc;
      },
    );
    if (!updated) throw new MemberNotFound();
    await confirmOwnerRemains(scope, target, "demoted", () =>
      User.updateOne({ _id: target._id }, { $set: { role: target.role } }),
    );
    await this.directory.setRole({ email: target.email, tenantId: scope.tenant.id, role });
    await recordTenantAudit(scope, actor, "members.changeRole", target._id.toString(), {
      email: target.email,
      from: target.role,
      to: role,
    });
    return updated;
  }

  /** Ends the member's sessions; audited as `members.deactivate`. */
  async deactivate(scope: TenantScope, actor: MemberActor, userId: string): Promise<UserDoc> {
    const target = await this.target(scope, actor, userId);
    await refuseIfLastOwner(scope, target, "deactivated");
    const { User } = scope.models;
    const updated = await User.findByIdAndUpdate(
      target._id,
      { $set: { status: "deactivated" } },
      { returnDocument: "after" },
    ).lean<UserDoc>();
    await confirmOwnerRemains(scope, target, "deactivated", () =>
      User.updateOne({ _id: target._id }, { $set: { status: target.status } }),
    );
    await revokeSessions(scope, target._id, "deactivated");
    await recordTenantAudit(scope, actor, "members.deactivate", target._id.toString(), {
      email: target.email,
    });
    return updated ?? target;
  }

  /** An invited member who never set a password goes back to "invited"; audited as `members.reactivate`. */
  async reactivate(scope: TenantScope, actor: MemberActor, userId: string): Promise<UserDoc> {
    const target = await this.target(scope, actor, userId);
    if (target.status !== "deactivated") return target;
    await this.plans.assertSeatFree(scope);
    const status = target.passwordHash ? "active" : "invited";
    const updated = await scope.models.User.findByIdAndUpdate(
      target._id,
      { $set: { status } },
      { returnDocument: "after" },
    ).lean<UserDoc>();
    await recordTenantAudit(scope, actor, "members.reactivate", target._id.toString(), {
      email: target.email,
    });
    return updated ?? target;
  }

  /**
   * Sessions, the user and the directory entry go; a pending invite is revoked (its link then says
   * so, until purged). Audited as `members.remove`.
   */
  async remove(scope: TenantScope, actor: MemberActor, userId: string): Promise<void> {
    const target = await this.target(scope, actor, userId);
    await this.deleteMember(scope, target, "removed");
    await recordTenantAudit(scope, actor, "members.remove", target._id.toString(), {
      email: target.email,
    });
  }

  /**
   * The acting user leaves the organisation: like `remove`, on themselves (sessions end, the user
   * and the directory entry go, the seat frees). The last active owner is refused: they transfer
   * ownership first. Audited as `members.leave`.
   */
  async leave(scope: TenantScope, actor: MemberActor): Promise<void> {
    if (actor.serviceAccount) throw new RoleForbidden("An API key cannot leave an organisation");
    const self = await scope.models.User.findById(actor.user._id).lean<UserDoc>();
    if (!self) throw new MemberNotFound();
    await this.deleteMember(scope, self, "leave", "left", LEAVE_HINT);
    await recordTenantAudit(scope, actor, "members.leave", self._id.toString(), {
      email: self.email,
      role: self.role,
    });
  }

  /**
   * Takes a member out of the organisation (removed by someone, or leaving): never the last active
   * owner; their sessions and invite links end, the user and the directory entry go.
   */
  private async deleteMember(
    scope: TenantScope,
    target: UserDoc,
    action: string,
    sessionReason = action,
    hint?: string,
  ): Promise<void> {
    const { User, Invite } = scope.models;
    await refuseIfLastOwner(scope, target, action, hint);
    // Deactivate first so the owner re-count sees the removal before anything is deleted.
    await User.updateOne({ _id: target._id }, { $set: { status: "deactivated" } });
    await confirmOwnerRemains(
      scope,
      target,
      action,
      () => User.updateOne({ _id: target._id }, { $set: { status: target.status } }),
      hint,
    );
    await revokeSessions(scope, target._id, sessionReason);
    await revokeLinks(Invite, target._id);
    await this.events.transaction(scope.conn, scope.tenant.id, async (session, emit) => {
      const res = await User.deleteOne({ _id: target._id }, { session });
      if (res.deletedCount)
        emit({
          type: "member.removed",
          data: { userId: target._id.toString(), email: target.email, role: target.role },
        });
    });
    await this.directory.remove({ email: target.email, tenantId: scope.tenant.id });
  }

  /**
   * An owner hands ownership to another active member: the target becomes owner first, then the
   * acting owner becomes admin, so a crash between the two writes leaves two owners, never none.
   * Audited once as `members.transferOwnership`.
   */
  async transferOwnership(
    scope: TenantScope,
    actor: MemberActor,
    toUserId: string,
  ): Promise<{ newOwner: UserDoc; previousOwner: UserDoc }> {
    if (actor.serviceAccount) throw new RoleForbidden("An API key cannot transfer ownership");
    const { User } = scope.models;
    const self = await User.findById(actor.user._id).lean<UserDoc>();
    if (!self || self.role !== "owner" || self.status !== "active")
      throw new RoleForbidden("Only an owner can transfer ownership");
    if (!Types.ObjectId.isValid(toUserId)) throw new MemberNotFound();
    if (self._id.equals(toUserId))
      throw new InvalidInput("Choose another member: you already own this organisation");
    const target = await User.findById(toUserId).lean<UserDoc>();
    if (!target) throw new MemberNotFound();
    if (target.status !== "active")
      throw new InvalidInput(
        target.status === "invited"
          ? "Ownership can only go to an active member: this member has not accepted their invitation yet"
          : "Ownership can only go to an active member: this member is deactivated",
      );
    if (target.role === "owner") throw new InvalidInput("This member is already an owner");
    // Promote first (only while still active), then demote: two owners for a moment, never none.
    const promoted = await this.events.transaction(
      scope.conn,
      scope.tenant.id,
      async (session, emit) => {
        const doc = await User.findOneAndUpdate(
          { _id: target._id, status: "active" },
          { $set: { role: "owner" } },
          { returnDocument: "after", session },
        ).lean<UserDoc>();
        if (doc) emit(roleChanged(doc, target.role));
        return doc;
      },
    );
    if (!promoted)
      throw new InvalidInput(
        "Ownership can only go to an active member: this member is deactivated",
      );
    await this.directory.setRole({ email: target.email, tenantId: scope.tenant.id, role: "owner" });
    const demoted = await this.events.transaction(
      scope.conn,
      scope.tenant.id,
      async (session, emit) => {
        const doc = await User.findOneAndUpdate(
          { _id: self._id },
          { $set: { role: "admin" } },
          { returnDocument: "after", session },
        ).lean<UserDoc>();
        if (doc) emit(roleChanged(doc, self.role));
        return doc;
      },
    );
    await confirmOwnerRemains(scope, self, "demoted", () =>
      User.updateOne({ _id: self._id }, { $set: { role: "owner" } }),
    );
    await this.directory.setRole({ email: self.email, tenantId: scope.tenant.id, role: "admin" });
    await recordTenantAudit(scope, actor, "members.transferOwnership", target._id.toString(), {
      email: target.email,
      from: self.email,
      previousOwnerRole: "admin",
    });
    return { newOwner: promoted, previousOwner: demoted ?? { ...self, role: "admin" } };
  }

  /**
   * One page of members in id order: `search` matches email or name as literal text; `cursor` is
   * the last id of the previous page (an invalid one is refused, never read as a pattern).
   */
  async list(
    scope: TenantScope,
    opts: { search?: string; cursor?: string; limit: number },
  ): Promise<{ items: UserDoc[]; nextCursor: string | null }> {
    const filter: Record<string, unknown> = {};
    if (opts.search) {
      const re = literalRegex(opts.search);
      filter.$or = [{ email: re }, { name: re }];
    }
    if (opts.cursor) {
      if (!Types.ObjectId.isValid(opts.cursor))
        throw new InvalidInput("cursor must be the nextCursor of an earlier page");
      filter._id = { $gt: new Types.ObjectId(opts.cursor) };
    }
    const rows = await scope.models.User.find(filter)
      .sort({ _id: 1 })
      .limit(opts.limit + 1)
      .lean<UserDoc[]>();
    const items = rows.slice(0, opts.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > opts.limit && last ? last._id.toString() : null };
  }

  /** The member to change; only an owner may change an owner. */
  private async target(scope: TenantScope, actor: MemberActor, userId: string): Promise<UserDoc> {
    if (!Types.ObjectId.isValid(userId)) throw new MemberNotFound();
    const user = await scope.models.User.findById(userId).lean<UserDoc>();
    if (!user) throw new MemberNotFound();
    if (user.role === "owner" && actor.user.role !== "owner")
      throw new RoleForbidden("Only an owner can change another owner");
    return user;
  }
}

function roleChanged(user: UserDoc, from: MemberRole) {
  return {
    type: "member.role_changed" as const,
    data: { userId: user._id.toString(), email: user.email, from, to: user.role },
  };
}

async function activeOwners(scope: TenantScope): Promise<number> {
  return scope.models.User.countDocuments({ role: "owner", status: "active" });
}

async function refuseIfLastOwner(
  scope: TenantScope,
  target: UserDoc,
  action: string,
  hint?: string,
) {
  if (target.role !== "owner" || target.status !== "active") return;
  if ((await activeOwners(scope)) <= 1) throw new LastOwner(action, hint);
}

/**
 * Two admins demoting the last two owners at once would each pass the pre-check; re-counting after
 * the write and undoing it when no active owner is left closes that race.
 */
async function confirmOwnerRemains(
  scope: TenantScope,
  target: UserDoc,
  action: string,
  undo: () => Promise<unknown>,
  hint?: string,
) {
  if (target.role !== "owner" || target.status !== "active") return;
  if ((await activeOwners(scope)) >= 1) return;
  await undo();
  throw new LastOwner(action, hint);
}

/** Revokes every live session of the user (refreshes and, at the next check, access tokens). */
async function revokeSessions(
  scope: TenantScope,
  userId: Types.ObjectId,
  reason: string,
): Promise<void> {
  await scope.models.Session.updateMany(
    { userId, revokedAt: null },
    { $set: { revokedAt: new Date(), revokedReason: reason } },
  );
}
