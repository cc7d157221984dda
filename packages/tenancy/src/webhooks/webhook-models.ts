// Webhook endpoints and deliveries. The same schemas serve the control database (super admins'
// endpoints for platform events) and each tenant's database (its owners' endpoints for its own
// events): a tenant's endpoints, their secrets and their delivery log never leave its database.
import type { Connection, Model, Types } from "mongoose";
import { Schema } from "mongoose";

import { ensureCollection } from "../collection-setup";
import { modelOn } from "../model-sharing";

const noLazyWork = { autoIndex: false, autoCreate: false, bufferCommands: false } as const;

export interface WebhookEndpointDoc {
  _id: Types.ObjectId;
  url: string;
  description: string;
  /** Event types delivered; empty = every event of its scope. */
  eventTypes: string[];
  enabled: boolean;
  /** The `whsec_...` signing secret, sealed with the encryption key (AES-256-GCM). */
  secretSealed: string;
  createdAt: Date;
  updatedAt: Date;
}

export const DELIVERY_STATUSES = ["pending", "delivered", "dead"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryAttempt {
  at: Date;
  /** null: no HTTP answer (refused, timeout, policy). */
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export interface WebhookDeliveryDoc {
  /** `<eventId>:<endpointId>`, so relaying an event twice makes one delivery. */
  _id: string;
  endpointId: Types.ObjectId;
  eventId: string;
  eventType: string;
  /** The exact JSON body signed and sent. */
  body: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** Tries since the delivery was made or last replayed (dead-lettered at maxAttempts). */
  tries: number;
  nextAttemptAt: Date | null;
  lockedBy: string | null;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const endpointSchema = new Schema<WebhookEndpointDoc>(
  {
    url: { type: String, required: true },
    description: { type: String, default: "" },
    eventTypes: { type: [String], default: [] },
    enabled: { type: Boolean, default: true },
    secretSealed: { type: String, required: true },
  },
  { collection: "webhookEndpoints", timestamps: true, ...noLazyWork },
);
endpointSchema.index({ enabled: 1 });

const attemptSchema = new Schema<DeliveryAttempt>(
  {
    at: { type: Date, required: true },
    statusCode: { type: Number, default: null },
    durationMs: { type: Number, required: true },
    error: { type: String, default: null },
  },
  { _id: false },
);

const deliverySchema = new Schema<WebhookDeliveryDoc>(
  {
    _id: { type: String, required: true },
    endpointId: { type: Schema.Types.ObjectId, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, default: "pending" },
    attempts: { type: [attemptSchema], default: [] },
    tries: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, default: null },
    lockedBy: { type: String, default: null },
    lockedUntil: { type: Date, default: null },
  },
  { collection: "webhookDeliveries", timestamps: true, ...noLazyWork },
);
deliverySchema.index({ status: 1, nextAttemptAt: 1 });
deliverySchema.index({ endpointId: 1, createdAt: -1 });
deliverySchema.index({ createdAt: -1 });

export interface WebhookModels {
  Endpoint: Model<WebhookEndpointDoc>;
  Delivery: Model<WebhookDeliveryDoc>;
}

const ready = new WeakMap<Connection, Promise<void>>();

/** The webhook models on `conn`'s database, collections and indexes created once per connection. */
export async function webhookModels(conn: Connection): Promise<WebhookModels> {
  const models: WebhookModels = {
    Endpoint: modelOn<WebhookEndpointDoc>(conn, "WebhookEndpoint", endpointSchema),
    Delivery: modelOn<WebhookDeliveryDoc>(conn, "WebhookDelivery", deliverySchema),
  };
  let done = ready.get(conn);
  if (!done) {
    done = (async () => {
      for (const model of [models.Endpoint, models.Delivery] as unknown as Model<never>[])
        await ensureCollection(model);
    })();
    done.catch(() => ready.delete(conn));
    ready.set(conn, done);
  }
  await done;
  return models;
}

/** Control database: which tenants have webhook endpoints (ids only), so the relay visits just them. */
export interface WebhookTenantDoc {
  _id: string;
  updatedAt: Date;
}

const webhookTenantSchema = new Schema<WebhookTenantDoc>(
  { _id: { type: String, required: true }, updatedAt: { type: Date, required: true } },
  { collection: "webhookTenants", versionKey: false, ...noLazyWork },
);

export function webhookTenantModel(conn: Connection): Model<WebhookTenantDoc> {
  return (
    (conn.models.WebhookTenant as Model<WebhookTenantDoc> | undefined) ??
    conn.model<WebhookTenantDoc>("WebhookTenant", webhookTenantSchema)
  );
}
