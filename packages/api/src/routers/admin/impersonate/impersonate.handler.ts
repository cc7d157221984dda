// A short-lived tenant token for a named user, marked with `imp` so the web app shows a banner
// and the tenant's audit log names the admin. It has no refresh token and cannot change passwords.
// It is read-only (every mutation refused) unless the admin asked for write access with a reason.
import { refuse } from "../../../api-errors";
import { issueTenantSession } from "../../../auth/tenant-sessions";
import type { UserDoc } from "../../../tenancy-port";
import type { AdminContext } from "../../../trpc";
import { recordAdminAudit } from "../admin-audit";
import type { TImpersonateInput } from "./impersonate.schema";

export async function impersonateHandler({
  ctx,
  input,
}: {
  ctx: AdminContext;
  input: TImpersonateInput;
}) {
  const ttlSeconds = ctx.services.config.impersonationTtlSeconds ?? 600;
  const write = input.writeAccess ? { write: true as const } : {};
  const imp = { adminId: ctx.admin.id, adminEmail: ctx.admin.email, ...write };
  const details = {
    reason: input.reason,
    access: input.writeAccess ? "write" : "read",
    ...(input.writeAccess ? { writeReason: input.writeAccess.reason } : {}),
  };
  const issued = await ctx.services.tenancy.withTenant(input.tenantId, async (scope) => {
    const user = await scope.models.User.findOne({ email: input.userEmail }).lean<UserDoc>();
    if (!user || user.status !== "active")
      throw refuse("NOT_FOUND", "NOT_FOUND", "No active user with that email in this tenant");
    const tokens = await issueTenantSession({ ...ctx, transport: "body" }, scope, user, {
      impersonatedBy: imp,
      ttlSeconds,
    });
    await scope.models.Audit.create({
      at: new Date(),
      actorId: user._id.toString(),
      actorEmail: user.email,
      impersonatedBy: ctx.admin.email,
      action: "impersonation.start",
      target: user._id.toString(),
      details,
    });
    return { tokens, slug: scope.tenant.slug, user };
  });
  await recordAdminAudit(ctx, "impersonate.start", {
    tenantId: input.tenantId,
    tenantSlug: issued.slug,
    target: input.userEmail,
    details,
  });
  return {
    accessToken: issued.tokens.accessToken,
    expiresAt: issued.tokens.accessTokenExpiresAt,
    access: details.access,
    tenant: { id: input.tenantId, slug: issued.slug },
    user: { id: issued.user._id.toString(), email: issued.user.email, name: issued.user.name },
  };
}
