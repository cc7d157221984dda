// The tenant's own audit log (tenant database): member and settings changes, sign-ins.
import type { TenantContext } from "../trpc";

export async function recordTenantAudit(
  ctx: TenantContext,
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await ctx.tenant.models.Audit.create({
    at: new Date(),
    actorId: ctx.user._id.toString(),
    actorEmail: ctx.user.email,
    impersonatedBy: ctx.impersonatedBy?.adminEmail ?? null,
    action,
    target,
    details,
  });
}
