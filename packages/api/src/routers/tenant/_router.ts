// The caller's organisation as its plan sees it: usage against each limit, for the owners' warning.
import { refuse } from "../../api-errors";
import { createTRPCRouter, tenantAdminProcedure, tenantProcedure } from "../../trpc";
import { usageCsv, usageHistory } from "../usage/usage.handler";
import { ZOwnUsageInput } from "../usage/usage.schema";

export const tenantRouter = createTRPCRouter({
  /** Owners only: usage vs limits, each flagged `warning` from 80% of its limit. */
  usage: tenantProcedure.query(({ ctx }) => {
    if (ctx.user.role !== "owner")
      throw refuse(
        "FORBIDDEN",
        "FORBIDDEN_ROLE",
        "Only owners of this organisation see its usage.",
      );
    return ctx.services.tenancy.plans.usage(ctx.tenant);
  }),
  /** Owners and admins: the organisation's metered usage per UTC day (default the last 30). */
  usageHistory: tenantAdminProcedure
    .input(ZOwnUsageInput)
    .query(({ ctx, input }) => usageHistory(ctx.services.tenancy, ctx.tenant.tenant, input.days)),
  /** The same days as CSV text (header row first), for a download. */
  usageCsv: tenantAdminProcedure
    .input(ZOwnUsageInput)
    .query(({ ctx, input }) => usageCsv(ctx.services.tenancy, ctx.tenant.tenant, input.days)),
});
