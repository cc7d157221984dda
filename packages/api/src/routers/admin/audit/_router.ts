import { createTRPCRouter, superAdminProcedure } from "../../../trpc";
import { ZListAdminAuditInput } from "./admin-audit.schema";

// The control audit log through tenancy's one listing (newest first, opaque cursor).
export const adminAuditRouter = createTRPCRouter({
  list: superAdminProcedure
    .input(ZListAdminAuditInput)
    .query(({ ctx, input }) => ctx.services.tenancy.audit.list(input)),
});
