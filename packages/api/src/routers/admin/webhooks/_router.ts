import { createTRPCRouter, superAdminProcedure } from "../../../trpc";
import {
  ZCreateEndpointInput,
  ZDeliveriesInput,
  ZReplayInput,
  ZSetEndpointEnabledInput,
} from "../../webhooks/webhooks.schema";
import { adminActor } from "../admin-audit";

// The platform's endpoints (platform events, control database); tenancy audits each change.
export const adminWebhooksRouter = createTRPCRouter({
  eventTypes: superAdminProcedure.query(({ ctx }) => ({
    eventTypes: [...ctx.services.tenancy.webhooks.platform.eventTypes],
  })),
  list: superAdminProcedure.query(async ({ ctx }) => ({
    items: await ctx.services.tenancy.webhooks.platform.list(),
  })),
  /** The only answer that ever carries the signing secret. */
  create: superAdminProcedure
    .input(ZCreateEndpointInput)
    .mutation(({ ctx, input }) =>
      ctx.services.tenancy.webhooks.platform.create(input, adminActor(ctx)),
    ),
  setEnabled: superAdminProcedure
    .input(ZSetEndpointEnabledInput)
    .mutation(async ({ ctx, input }) => ({
      endpoint: await ctx.services.tenancy.webhooks.platform.setEnabled(
        input.endpointId,
        input.enabled,
        adminActor(ctx),
      ),
    })),
  deliveries: superAdminProcedure.input(ZDeliveriesInput).query(async ({ ctx, input }) => ({
    items: await ctx.services.tenancy.webhooks.platform.deliveries(input),
  })),
  replay: superAdminProcedure.input(ZReplayInput).mutation(async ({ ctx, input }) => ({
    delivery: await ctx.services.tenancy.webhooks.platform.replay(
      input.deliveryId,
      adminActor(ctx),
    ),
  })),
});
