import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  createEndpointHandler,
  deliveriesHandler,
  eventTypesHandler,
  listEndpointsHandler,
  replayHandler,
  setEndpointEnabledHandler,
} from "./webhooks.handler";
import {
  ZCreateEndpointInput,
  ZDeliveriesInput,
  ZReplayInput,
  ZSetEndpointEnabledInput,
} from "./webhooks.schema";

// Owners only: tenancy refuses everyone else with 403 FORBIDDEN_ROLE.
export const webhooksRouter = createTRPCRouter({
  eventTypes: tenantProcedure.query(eventTypesHandler),
  list: tenantProcedure.query(listEndpointsHandler),
  create: tenantProcedure.input(ZCreateEndpointInput).mutation(createEndpointHandler),
  setEnabled: tenantProcedure.input(ZSetEndpointEnabledInput).mutation(setEndpointEnabledHandler),
  deliveries: tenantProcedure.input(ZDeliveriesInput).query(deliveriesHandler),
  replay: tenantProcedure.input(ZReplayInput).mutation(replayHandler),
});
