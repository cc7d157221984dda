import type { TenantContext } from "../../trpc";
import type { TCreateMemberInput } from "./create.schema";
import { inviteAcceptUrl, memberActor, publicInvite, publicMember } from "./member-view";

/**
 * With a password tenancy's members adds an active member; without one tenancy's invites adds an
 * invited member and mails them a link, which the inviter is shown once too.
 */
export async function createMemberHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TCreateMemberInput;
}) {
  const { password, ...member } = input;
  if (password) {
    const user = await ctx.services.tenancy.members.add(ctx.tenant, memberActor(ctx), input);
    return { member: publicMember(user), inviteUrl: null, inviteExpiresAt: null, emailed: false };
  }
  const invited = await ctx.services.tenancy.invites.invite(
    ctx.tenant,
    memberActor(ctx),
    member,
    inviteAcceptUrl(ctx),
  );
  return { member: publicMember(invited.member), ...publicInvite(invited.invite) };
}
