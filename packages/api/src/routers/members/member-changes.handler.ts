// Role changes, deactivation and removal: tenancy's members use cases hold the rules (only owners
// touch owners, the last owner stays, the directory follows); the api shapes the answers.
import { resetUrls } from "../../auth/password-reset-requests";
import type { TenantContext } from "../../trpc";
import { memberActor, publicMember } from "./member-view";
import type { TChangeRoleInput, TMemberTargetInput } from "./member-target.schema";

type H<I> = { ctx: TenantContext; input: I };

/** Users changed: this instance forgets the tenant's cached auth checks, even when a step failed midway. */
function changingUsers<I, R>(change: (opts: H<I>) => Promise<R>) {
  return async (opts: H<I>): Promise<R> => {
    try {
      return await change(opts);
    } finally {
      opts.ctx.services.authChecks.invalidate(opts.ctx.tenant.tenant.id);
    }
  };
}

const members = (ctx: TenantContext) => ctx.services.tenancy.members;

export const changeRoleHandler = changingUsers(async ({ ctx, input }: H<TChangeRoleInput>) => ({
  member: publicMember(
    await members(ctx).changeRole(ctx.tenant, memberActor(ctx), input.userId, input.role),
  ),
}));

export const deactivateHandler = changingUsers(async ({ ctx, input }: H<TMemberTargetInput>) => ({
  member: publicMember(await members(ctx).deactivate(ctx.tenant, memberActor(ctx), input.userId)),
}));

export const reactivateHandler = changingUsers(async ({ ctx, input }: H<TMemberTargetInput>) => ({
  member: publicMember(await members(ctx).reactivate(ctx.tenant, memberActor(ctx), input.userId)),
}));

export const removeHandler = changingUsers(async ({ ctx, input }: H<TMemberTargetInput>) => {
  await members(ctx).remove(ctx.tenant, memberActor(ctx), input.userId);
  return { ok: true as const };
});

/** The caller leaves the organisation; their sessions end (tenancy's members holds the rules). */
export const leaveHandler = changingUsers(async ({ ctx }: { ctx: TenantContext }) => {
  await members(ctx).leave(ctx.tenant, memberActor(ctx));
  return { ok: true as const };
});

/** The caller (an owner) makes another active member owner and becomes admin themselves. */
export const transferOwnershipHandler = changingUsers(
  async ({ ctx, input }: H<TMemberTargetInput>) => {
    const moved = await members(ctx).transferOwnership(ctx.tenant, memberActor(ctx), input.userId);
    return {
      newOwner: publicMember(moved.newOwner),
      previousOwner: publicMember(moved.previousOwner),
    };
  },
);

/** Mails the member a reset link (the sender never sees it); audited by tenancy. */
export const sendPasswordResetHandler = async ({ ctx, input }: H<TMemberTargetInput>) => {
  const { email } = await ctx.services.tenancy.passwordResets.sendToMember(
    ctx.tenant,
    memberActor(ctx),
    input.userId,
    resetUrls(ctx),
  );
  return { ok: true as const, sentTo: email };
};
