// Switching organisation: tenancy's orgSwitches holds the rule (the current session proves the
// email; the target may ask for its own password). The api opens the session in the target's
// store, hands over its tokens and ends the session it came from: the browser holds one session
// per app, so the old one would stay live with nobody holding it.
import type { SwitchOrigin } from "@tenantry/tenancy";

import { deliverTokens, issueTenantSession, revokeFamily } from "../../auth/tenant-sessions";
import type { TenantContext } from "../../trpc";
import { beginLoginAttempt, publicTenant, publicUser } from "./login.handler";
import type { TSwitchTenantInput } from "./switch-tenant.schema";

export function switchOrigin(ctx: TenantContext): SwitchOrigin {
  return {
    scope: ctx.tenant,
    user: ctx.user,
    impersonatedBy: ctx.impersonatedBy?.adminEmail ?? null,
    serviceAccount: ctx.serviceAccount,
  };
}

/** The caller's organisations for the header's switcher, with how each one is entered. */
export async function organisationsHandler({ ctx }: { ctx: TenantContext }) {
  return ctx.services.tenancy.orgSwitches.organisations(switchOrigin(ctx));
}

export async function switchTenantHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TSwitchTenantInput;
}) {
  const switched = await ctx.services.tenancy.orgSwitches.switchInto({
    from: switchOrigin(ctx),
    tenantSlug: input.tenantSlug,
    password: input.password ?? null,
    beginPasswordAttempt: () => beginLoginAttempt(ctx, "tenant", ctx.user.email),
    openSession: (scope, member) => issueTenantSession(ctx, scope, member),
  });
  await revokeFamily(ctx, ctx.tenant, ctx.claims.sid, "switched-tenant");
  return {
    status: "ok" as const,
    ...deliverTokens(ctx, switched.session),
    user: publicUser(switched.member),
    tenant: publicTenant(switched.scope),
    method: switched.method,
  };
}
