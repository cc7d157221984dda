import { createTRPCRouter, tenantAdminProcedure, tenantProcedure } from "../../trpc";
import { getSettingsHandler, updateSettingsHandler } from "./settings.handler";
import { ZUpdateSettingsInput } from "./settings.schema";

export const settingsRouter = createTRPCRouter({
  get: tenantProcedure.query(getSettingsHandler),
  update: tenantAdminProcedure.input(ZUpdateSettingsInput).mutation(updateSettingsHandler),
});
