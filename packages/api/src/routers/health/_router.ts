import { createTRPCRouter, tenantProcedure } from "../../trpc";

export const healthRouter = createTRPCRouter({
  /** Succeeds for an active tenant; a suspended one fails with data.reason TENANT_SUSPENDED. */
  tenant: tenantProcedure.query(({ ctx }) => ({
    ok: true as const,
    tenant: {
      id: ctx.tenant.tenant.id,
      slug: ctx.tenant.tenant.slug,
      status: ctx.tenant.tenant.status,
    },
  })),
});
