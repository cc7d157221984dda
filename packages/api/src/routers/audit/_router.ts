import { createTRPCRouter, tenantAdminProcedure } from "../../trpc";
import { listTenantAuditHandler } from "./audit.handler";
import { ZListTenantAuditInput } from "./audit.schema";

export const auditRouter = createTRPCRouter({
  list: tenantAdminProcedure.input(ZListTenantAuditInput).query(listTenantAuditHandler),
});
