import { createTRPCRouter, superAdminProcedure } from "../../../trpc";
import { impersonateHandler } from "./impersonate.handler";
import { ZImpersonateInput } from "./impersonate.schema";

export const adminImpersonateRouter = createTRPCRouter({
  start: superAdminProcedure.input(ZImpersonateInput).mutation(impersonateHandler),
});
