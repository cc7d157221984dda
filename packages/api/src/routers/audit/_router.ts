import { createTRPCRouter, featureProcedure, tenantAdminProcedure } from "../../trpc";
import { exportTenantAuditHandler, listTenantAuditHandler } from "./audit.handler";
import { ZListTenantAuditInput } from "./audit.schema";

export const auditRouter = createTRPCRouter({
  list: tenantAdminProcedure.input(ZListTenantAuditInput).query(listTenantAuditHandler),
  /** The whole log (newest first, capped) in one answer; plans with "auditExport" only. */
  export: featureProcedure("auditExport").query(exportTenantAuditHandler),
});
