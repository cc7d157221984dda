// The caller's organisation as its plan sees it: usage against each limit, for the owners' warning.
import { refuse } from "../../api-errors";
import { createTRPCRouter, tenantProcedure } from "../../trpc";

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
});
