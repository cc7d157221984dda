import type { TenantContext } from "../../trpc";
import type { TCreateMemberInput } from "./create.schema";
import { createInvite } from "./invites";
import { memberActor, publicMember } from "./member-view";

/** tenancy adds the member (roles, password policy, directory, audit); the api adds the invite link. */
export async function createMemberHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TCreateMemberInput;
}) {
  const user = await ctx.services.tenancy.members.add(ctx.tenant, memberActor(ctx), input);
  let inviteUrl: string | null = null;
  let inviteExpiresAt: Date | null = null;
  if (!input.password) {
    const invite = await createInvite(ctx.tenant, user._id);
    const base = (ctx.services.config.publicAppUrl ?? "").replace(/\/$/, "");
    inviteUrl = `${base}/invite#token=${invite.token}`;
    inviteExpiresAt = invite.expiresAt;
  }
  return { member: publicMember(user), inviteUrl, inviteExpiresAt };
}
