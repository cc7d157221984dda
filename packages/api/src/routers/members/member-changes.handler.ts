// Role changes, deactivation and removal. The last active owner can be neither demoted,
// deactivated nor removed: a tenant must always have someone who can administer it.
import { refuse } from "../../api-errors";
import { revokeUserSessions } from "../../auth/tenant-sessions";
import type { UserDoc } from "../../tenancy-port";
import type { TenantContext } from "../../trpc";
import { recordTenantAudit } from "../tenant-audit";
import { removeMembership, setMembershipRole } from "./directory-sync";
import { dropInvites } from "./invites";
import { publicMember } from "./list.handler";
import type { TChangeRoleInput, TMemberTargetInput } from "./member-target.schema";

async function loadTarget(ctx: TenantContext, userId: string): Promise<UserDoc> {
  const user = await ctx.tenant.models.User.findById(userId).lean<UserDoc>();
  if (!user) throw refuse("NOT_FOUND", "NOT_FOUND", "No such member in this organisation.");
  // Only an owner may change an owner.
  if (user.role === "owner" && ctx.user.role !== "owner") {
    throw refuse("FORBIDDEN", "FORBIDDEN_ROLE", "Only an owner can change another owner");
  }
  return user;
}

async function refuseIfLastOwner(ctx: TenantContext, target: UserDoc, action: string) {
  if (target.role !== "owner" || target.status !== "active") return;
  const owners = await ctx.tenant.models.User.countDocuments({ role: "owner", status: "active" });
  if (owners <= 1)
    throw refuse("PRECONDITION_FAILED", "LAST_OWNER", `The last owner cannot be ${action}`);
}

/**
 * Two admins demoting the last two owners at once would each pass the pre-check; re-counting after
 * the write and undoing it when no active owner is left closes that race.
 */
async function confirmOwnerRemains(
  ctx: TenantContext,
  target: UserDoc,
  action: string,
  undo: () => Promise<unknown>,
) {
  if (target.role !== "owner" || target.status !== "active") return;
  const owners = await ctx.tenant.models.User.countDocuments({ role: "owner", status: "active" });
  if (owners >= 1) return;
  await undo();
  throw refuse("PRECONDITION_FAILED", "LAST_OWNER", `The last owner cannot be ${action}`);
}

async function changeRole({ ctx, input }: { ctx: TenantContext; input: TChangeRoleInput }) {
  const target = await loadTarget(ctx, input.userId);
  if (input.role === "owner" && ctx.user.role !== "owner") {
    throw refuse("FORBIDDEN", "FORBIDDEN_ROLE", "Only an owner can make someone an owner");
  }
  if (target.role === input.role) return { member: publicMember(target) };
  if (input.role !== "owner") await refuseIfLastOwner(ctx, target, "demoted");
  const updated = await ctx.tenant.models.User.findByIdAndUpdate(
    target._id,
    { $set: { role: input.role } },
    { returnDocument: "after" },
  ).lean<UserDoc>();
  if (!updated) throw refuse("NOT_FOUND", "NOT_FOUND", "No such member in this organisation.");
  await confirmOwnerRemains(ctx, target, "demoted", () =>
    ctx.tenant.models.User.updateOne({ _id: target._id }, { $set: { role: target.role } }),
  );
  await setMembershipRole(ctx.services.tenancy, ctx.tenant, target.email, input.role);
  await recordTenantAudit(ctx, "members.changeRole", target._id.toString(), {
    email: target.email,
    from: target.role,
    to: input.role,
  });
  return { member: publicMember(updated) };
}

async function deactivate({ ctx, input }: { ctx: TenantContext; input: TMemberTargetInput }) {
  const target = await loadTarget(ctx, input.userId);
  await refuseIfLastOwner(ctx, target, "deactivated");
  const updated = await ctx.tenant.models.User.findByIdAndUpdate(
    target._id,
    { $set: { status: "deactivated" } },
    { returnDocument: "after" },
  ).lean<UserDoc>();
  await confirmOwnerRemains(ctx, target, "deactivated", () =>
    ctx.tenant.models.User.updateOne({ _id: target._id }, { $set: { status: target.status } }),
  );
  await revokeUserSessions(ctx, ctx.tenant, target._id, "deactivated");
  await recordTenantAudit(ctx, "members.deactivate", target._id.toString(), {
    email: target.email,
  });
  return { member: publicMember(updated ?? target) };
}

async function reactivate({ ctx, input }: { ctx: TenantContext; input: TMemberTargetInput }) {
  const target = await loadTarget(ctx, input.userId);
  if (target.status !== "deactivated") return { member: publicMember(target) };
  // An invited user who never set a password goes back to "invited", not "active".
  const status = target.passwordHash ? "active" : "invited";
  const updated = await ctx.tenant.models.User.findByIdAndUpdate(
    target._id,
    { $set: { status } },
    { returnDocument: "after" },
  ).lean<UserDoc>();
  await recordTenantAudit(ctx, "members.reactivate", target._id.toString(), {
    email: target.email,
  });
  return { member: publicMember(updated ?? target) };
}

async function remove({ ctx, input }: { ctx: TenantContext; input: TMemberTargetInput }) {
  const target = await loadTarget(ctx, input.userId);
  await refuseIfLastOwner(ctx, target, "removed");
  // Deactivate first so the owner re-count sees the removal before anything is deleted.
  await ctx.tenant.models.User.updateOne({ _id: target._id }, { $set: { status: "deactivated" } });
  await confirmOwnerRemains(ctx, target, "removed", () =>
    ctx.tenant.models.User.updateOne({ _id: target._id }, { $set: { status: target.status } }),
  );
  await revokeUserSessions(ctx, ctx.tenant, target._id, "removed");
  await dropInvites(ctx.tenant, target._id);
  await ctx.tenant.models.User.deleteOne({ _id: target._id });
  await removeMembership(ctx.services.tenancy, ctx.tenant, target.email);
  await recordTenantAudit(ctx, "members.remove", target._id.toString(), { email: target.email });
  return { ok: true as const };
}

/** Users changed: this instance forgets the tenant's cached auth checks, even when a step failed midway. */
function changingUsers<I, R>(change: (opts: { ctx: TenantContext; input: I }) => Promise<R>) {
  return async (opts: { ctx: TenantContext; input: I }): Promise<R> => {
    try {
      return await change(opts);
    } finally {
      opts.ctx.services.authChecks.invalidate(opts.ctx.tenant.tenant.id);
    }
  };
}

export const changeRoleHandler = changingUsers(changeRole);
export const deactivateHandler = changingUsers(deactivate);
export const reactivateHandler = changingUsers(reactivate);
export const removeHandler = changingUsers(remove);
