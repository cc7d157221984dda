// Every super-admin action lands in the control database's audit log.
import type { AdminContext } from "../../trpc";

export async function recordAdminAudit(
  ctx: AdminContext,
  action: string,
  entry: {
    tenantId?: string | null;
    tenantSlug?: string | null;
    target?: string | null;
    details?: Record<string, unknown>;
  } = {},
): Promise<void> {
  await ctx.services.tenancy.audit.record({
    actor: { type: "admin", id: ctx.admin._id.toString(), email: ctx.admin.email },
    action,
    tenantId: entry.tenantId ?? null,
    tenantSlug: entry.tenantSlug ?? null,
    target: entry.target ?? null,
    details: entry.details ?? {},
    ip: ctx.ip,
  });
}

export const adminActor = (ctx: AdminContext) => ({
  type: "admin" as const,
  id: ctx.admin._id.toString(),
  email: ctx.admin.email,
});
