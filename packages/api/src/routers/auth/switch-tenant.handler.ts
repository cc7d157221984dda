// Switching tenant is a sign-in to the other tenant (its own password check, in its own
// database) that ends the current session.
import { refuse } from "../../api-errors";
import { deliverTokens, revokeFamily } from "../../auth/tenant-sessions";
import type { TenantContext } from "../../trpc";
import {
  INVALID_CREDENTIALS_MESSAGE,
  beginLoginAttempt,
  publicTenant,
  publicUser,
  signInToTenant,
} from "./login.handler";
import type { TSwitchTenantInput } from "./switch-tenant.schema";

export async function switchTenantHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TSwitchTenantInput;
}) {
  if (ctx.impersonatedBy)
    throw refuse(
      "FORBIDDEN",
      "IMPERSONATION_READ_ONLY",
      "Impersonation is limited to one organisation.",
    );
  const email = ctx.user.email;
  const attempt = await beginLoginAttempt(ctx, "tenant", email);
  const memberships = await ctx.services.tenancy.directory.findByEmail(email);
  const target = memberships.find((m) => m.tenantSlug === input.tenantSlug);
  if (!target) {
    await attempt.failed();
    throw refuse("FORBIDDEN", "NOT_A_MEMBER", "You are not a member of that organisation.");
  }
  const signedIn = await signInToTenant(ctx, target, email, input.password);
  if (!signedIn) {
    await attempt.failed();
    throw refuse("FORBIDDEN", "INVALID_CREDENTIALS", INVALID_CREDENTIALS_MESSAGE);
  }
  await attempt.succeeded();
  await revokeFamily(ctx, ctx.tenant, ctx.claims.sid, "switched-tenant");
  return {
    status: "ok" as const,
    ...deliverTokens(ctx, signedIn.tokens),
    user: publicUser(signedIn.user),
    tenant: publicTenant(signedIn.scope),
  };
}
