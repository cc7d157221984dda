// The organisation's webhooks: tenancy's TenantWebhooks holds the rules (owners only, URL
// policy, secrets in the tenant database, audit); the api passes the scope and the actor.
import type { TenantContext } from "../../trpc";
import { memberActor } from "../members/member-view";
import type {
  TCreateEndpointInput,
  TDeliveriesInput,
  TReplayInput,
  TSetEndpointEnabledInput,
} from "./webhooks.schema";

type H<I> = { ctx: TenantContext; input: I };

const webhooks = (ctx: TenantContext) => ctx.services.tenancy.webhooks.tenant;

export const eventTypesHandler = ({ ctx }: { ctx: TenantContext }) => ({
  eventTypes: [...webhooks(ctx).eventTypes],
});

export const listEndpointsHandler = async ({ ctx }: { ctx: TenantContext }) => ({
  items: await webhooks(ctx).list(ctx.tenant, memberActor(ctx)),
});

/** The only answer that ever carries the signing secret. */
export const createEndpointHandler = ({ ctx, input }: H<TCreateEndpointInput>) =>
  webhooks(ctx).create(ctx.tenant, memberActor(ctx), input);

export const setEndpointEnabledHandler = async ({ ctx, input }: H<TSetEndpointEnabledInput>) => ({
  endpoint: await webhooks(ctx).setEnabled(
    ctx.tenant,
    memberActor(ctx),
    input.endpointId,
    input.enabled,
  ),
});

export const deliveriesHandler = async ({ ctx, input }: H<TDeliveriesInput>) => ({
  items: await webhooks(ctx).deliveries(ctx.tenant, memberActor(ctx), input),
});

export const replayHandler = async ({ ctx, input }: H<TReplayInput>) => ({
  delivery: await webhooks(ctx).replay(ctx.tenant, memberActor(ctx), input.deliveryId),
});
