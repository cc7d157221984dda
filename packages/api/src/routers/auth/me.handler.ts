import { mustEnrolTwoFactor } from "../../auth/two-factor-gate";
import { hasTwoFactor } from "../../tenancy-port";
import type { TenantContext } from "../../trpc";

export async function meHandler({ ctx }: { ctx: TenantContext }) {
  const memberships = await ctx.services.tenancy.directory.findByEmail(ctx.user.email);
  return {
    user: {
      id: ctx.user._id.toString(),
      email: ctx.user.email,
      name: ctx.user.name,
      role: ctx.user.role,
      lastLoginAt: ctx.user.lastLoginAt,
    },
    tenant: {
      id: ctx.tenant.tenant.id,
      slug: ctx.tenant.tenant.slug,
      name: ctx.tenant.tenant.name,
    },
    memberships: memberships.map((m) => ({ slug: m.tenantSlug, name: m.tenantName, role: m.role })),
    impersonatedBy: ctx.impersonatedBy ? { adminEmail: ctx.impersonatedBy.adminEmail } : null,
    /** `mustEnrol`: their organisation requires a second factor and they have none yet. */
    twoFactor: {
      enabled: hasTwoFactor(ctx.user),
      mustEnrol: !ctx.impersonatedBy && (await mustEnrolTwoFactor(ctx, ctx.tenant, ctx.user)),
    },
  };
}
