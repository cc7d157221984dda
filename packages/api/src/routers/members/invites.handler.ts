// The pending invitations of the members page: tenancy's invites holds the rules (who may
// re-invite whom, the old link stops working, audit); the api shapes the answers.
import type { TenantContext } from "../../trpc";
import { inviteAcceptUrl, memberActor, publicInvite, publicMember } from "./member-view";
import type { TMemberTargetInput } from "./member-target.schema";

type H<I> = { ctx: TenantContext; input: I };

export async function pendingInvitesHandler({ ctx }: { ctx: TenantContext }) {
  const pending = await ctx.services.tenancy.invites.listPending(ctx.tenant);
  return {
    items: pending.map((p) => ({
      member: publicMember(p.member),
      state: p.state,
      expiresAt: p.expiresAt,
      invitedAt: p.invitedAt,
      invitedBy: p.invitedBy,
    })),
  };
}

export async function resendInviteHandler({ ctx, input }: H<TMemberTargetInput>) {
  const { member, invite } = await ctx.services.tenancy.invites.resend(
    ctx.tenant,
    memberActor(ctx),
    input.userId,
    inviteAcceptUrl(ctx),
  );
  return { member: publicMember(member), ...publicInvite(invite) };
}

export async function revokeInviteHandler({ ctx, input }: H<TMemberTargetInput>) {
  const member = await ctx.services.tenancy.invites.revoke(
    ctx.tenant,
    memberActor(ctx),
    input.userId,
  );
  return { member: publicMember(member) };
}
