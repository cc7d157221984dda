// Inputs of the webhook procedures (the organisation's and the admin's share them). The URL's
// rules (https, public addresses) are tenancy's: a refused URL comes back as 400 with the reason.
import { z } from "zod";

import { ZObjectId } from "../shared.schema";

export const ZCreateEndpointInput = z.strictObject({
  url: z.string().trim().min(1, "required").max(2000),
  description: z.string().trim().max(200).optional(),
  eventTypes: z.array(z.string().min(1).max(100)).max(50).optional(),
});
export type TCreateEndpointInput = z.infer<typeof ZCreateEndpointInput>;

export const ZSetEndpointEnabledInput = z.strictObject({
  endpointId: ZObjectId,
  enabled: z.boolean(),
});
export type TSetEndpointEnabledInput = z.infer<typeof ZSetEndpointEnabledInput>;

export const ZDeliveriesInput = z
  .strictObject({
    endpointId: ZObjectId.optional(),
    status: z.enum(["pending", "delivered", "dead"]).optional(),
    limit: z.number().int().min(1).max(200).optional(),
  })
  .default({});
export type TDeliveriesInput = z.infer<typeof ZDeliveriesInput>;

export const ZReplayInput = z.strictObject({
  deliveryId: z
    .string()
    .regex(/^[a-f0-9]{24}:[a-f0-9]{24}$/, "must be a delivery id from the delivery log"),
});
export type TReplayInput = z.infer<typeof ZReplayInput>;
