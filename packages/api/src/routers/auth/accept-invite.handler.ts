// The invite page: tenancy's invites holds the rules (link state, password policy, activation,
// audit); the api shows the invite's details, then signs the new member in once they accept.
import { deliverTokens, issueTenantSession, revokeFamily } from "../../auth/tenant-sessions";
import type { Context } from "../../context";
import type { TenantContext } from "../../trpc";
import { publicTenant, publicUser } from "./login.handler";
import { switchOrigin } from "./switch-tenant.handler";
import type {
  TAcceptInviteInput,
  TAcceptInviteWithAccountInput,
  TInviteDetailsInput,
} from "./accept-invite.schema";

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

/**
 * "Join with your existing account": the caller's session in another organisation proves the
 * invited email; they land in the new organisation and, as when switching, the session they came
 * from ends.
 */
export async function acceptInviteWithAccountHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TAcceptInviteWithAccountInput;
}) {
  const { user, tenant } = await ctx.services.tenancy.invites.acceptWithAccount(
    input.token,
    switchOrigin(ctx),
  );
  ctx.services.authChecks.invalidate(tenant.id);
  const signedIn = await ctx.services.tenancy.withTenant(tenant.id, async (scope) => ({
    tokens: await issueTenantSession(ctx, scope, user),
    tenant: publicTenant(scope),
  }));
  await revokeFamily(ctx, ctx.tenant, ctx.claims.sid, "switched-tenant");
  return {
    status: "ok" as const,
    ...deliverTokens(ctx, signedIn.tokens),
    user: publicUser(user),
    tenant: signedIn.tenant,
  };
}
