// The invite page: tenancy's invites holds the rules (link state, password policy, activation,
// audit); the api shows the invite's details, then signs the new member in once they accept.
import { deliverTokens, issueTenantSession } from "../../auth/tenant-sessions";
import type { Context } from "../../context";
import { publicTenant, publicUser } from "./login.handler";
import type { TAcceptInviteInput, TInviteDetailsInput } from "./accept-invite.schema";

type H<I> = { ctx: Context; input: I };

/** Who invited whom to which organisation; INVITE_* when the link cannot be accepted. */
export async function inviteDetailsHandler({ ctx, input }: H<TInviteDetailsInput>) {
  return ctx.services.tenancy.invites.details(input.token);
}

export async function acceptInviteHandler({ ctx, input }: H<TAcceptInviteInput>) {
  const { user, tenant } = await ctx.services.tenancy.invites.accept(
    input.token,
    input.password,
    input.name,
  );
  // The member's status changed: no instance may keep a cached "invited" check of them.
  ctx.services.authChecks.invalidate(tenant.id);
  return ctx.services.tenancy.withTenant(tenant.id, async (scope) => {
    const tokens = await issueTenantSession(ctx, scope, user);
    return {
      status: "ok" as const,
      ...deliverTokens(ctx, tokens),
      user: publicUser(user),
      tenant: publicTenant(scope),
    };
  });
}
