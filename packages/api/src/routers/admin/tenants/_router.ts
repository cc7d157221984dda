import { createTRPCRouter, superAdminProcedure } from "../../../trpc";
import {
  createTenantHandler,
  dedicatePoolHandler,
  deleteTenantHandler,
  exportTenantHandler,
  getTenantHandler,
  listTenantsHandler,
  migrateAllHandler,
  migrateTenantHandler,
  migrationStatusHandler,
  purgeTenantHandler,
  releasePoolHandler,
  renameTenantHandler,
  restoreTenantHandler,
  resumeTenantHandler,
  sendOwnerResetHandler,
  setTenantPlanHandler,
  suspendTenantHandler,
  tenantMembersHandler,
} from "./tenants.handler";
import {
  ZCreateTenantInput,
  ZExportTenantInput,
  ZListTenantsInput,
  ZMigrationJobInput,
  ZPurgeTenantInput,
  ZRenameTenantInput,
  ZSendOwnerResetInput,
  ZSetTenantPlanInput,
  ZSuspendTenantInput,
  ZTenantId,
  ZTenantMembersInput,
} from "./tenants.schema";
import { usageCsv, usageHistory } from "../../usage/usage.handler";
import { ZTenantUsageInput } from "../../usage/usage.schema";

export const adminTenantsRouter = createTRPCRouter({
  list: superAdminProcedure.input(ZListTenantsInput).query(listTenantsHandler),
  create: superAdminProcedure.input(ZCreateTenantInput).mutation(createTenantHandler),
  get: superAdminProcedure.input(ZTenantId).query(getTenantHandler),
  members: superAdminProcedure.input(ZTenantMembersInput).query(tenantMembersHandler),
  rename: superAdminProcedure.input(ZRenameTenantInput).mutation(renameTenantHandler),
  suspend: superAdminProcedure.input(ZSuspendTenantInput).mutation(suspendTenantHandler),
  resume: superAdminProcedure.input(ZTenantId).mutation(resumeTenantHandler),
  delete: superAdminProcedure.input(ZTenantId).mutation(deleteTenantHandler),
  restore: superAdminProcedure.input(ZTenantId).mutation(restoreTenantHandler),
  purge: superAdminProcedure.input(ZPurgeTenantInput).mutation(purgeTenantHandler),
  migrate: superAdminProcedure.input(ZTenantId).mutation(migrateTenantHandler),
  migrateAll: superAdminProcedure.mutation(migrateAllHandler),
  migrationStatus: superAdminProcedure.input(ZMigrationJobInput).query(migrationStatusHandler),
  export: superAdminProcedure.input(ZExportTenantInput).mutation(exportTenantHandler),
  dedicatePool: superAdminProcedure.input(ZTenantId).mutation(dedicatePoolHandler),
  releasePool: superAdminProcedure.input(ZTenantId).mutation(releasePoolHandler),
  sendOwnerReset: superAdminProcedure.input(ZSendOwnerResetInput).mutation(sendOwnerResetHandler),
  setPlan: superAdminProcedure.input(ZSetTenantPlanInput).mutation(setTenantPlanHandler),
  /** Any tenant's metered usage per UTC day, and the same as CSV. */
  usageHistory: superAdminProcedure
    .input(ZTenantUsageInput)
    .query(async ({ ctx, input }) =>
      usageHistory(
        ctx.services.tenancy,
        await ctx.services.tenancy.tenants.get(input.id),
        input.days,
      ),
    ),
  usageCsv: superAdminProcedure
    .input(ZTenantUsageInput)
    .query(async ({ ctx, input }) =>
      usageCsv(ctx.services.tenancy, await ctx.services.tenancy.tenants.get(input.id), input.days),
    ),
});
