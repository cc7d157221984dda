// Super-admin actions are audited by the tenancy use case they call, with this actor; the few
// api-only actions (impersonation) record through recordAdminAudit.
import type { AuditActor } from "../../tenancy-port";
import type { AdminContext } from "../../trpc";

export const adminActor = (ctx: AdminContext): AuditActor =>
  ctx.platformKey
    ? { type: "apiKey", id: ctx.platformKey.keyId, email: null, ip: ctx.ip }
    : { type: "admin", id: ctx.admin.id, email: ctx.admin.email, ip: ctx.ip };

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
  await ctx.services.tenancy.audit.record({ actor: adminActor(ctx), action, ...entry });
}
