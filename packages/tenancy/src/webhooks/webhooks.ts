// Webhook endpoints and their delivery log: super admins manage the platform's (control database,
// platform events), a tenant's owners manage their organisation's (its own database, its member
// and module events). A secret is shown once, at creation; it is stored sealed.
import { randomBytes } from "node:crypto";

import { Types } from "mongoose";
import type { Connection } from "mongoose";
import { z } from "zod";

import type { AuditLog } from "../audit-log";
import { encryptUri } from "../cluster-crypto";
import type { AuditActor } from "../control-models";
import { PLATFORM_EVENT_TYPES } from "../events/catalogue";
import { InvalidInput, RoleForbidden, WebhookNotFound } from "../errors";
import type { MemberActor } from "../members";
import { recordTenantAudit } from "../members";
import { parseOrThrow } from "../provision";
import type { TenantScope } from "../tenancy-runtime";
import type { WebhookConfig } from "./webhook-config";
import type {
  DeliveryAttempt,
  DeliveryStatus,
  WebhookDeliveryDoc,
  WebhookEndpointDoc,
} from "./webhook-models";
import { DELIVERY_STATUSES, webhookModels, webhookTenantModel } from "./webhook-models";
import { assertWebhookUrlAllowed } from "./webhook-url-policy";
import { secretContext } from "./webhook-worker";

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  createdAt: Date;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  tries: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  attempts: DeliveryAttempt[];
}

export interface CreatedEndpoint {
  endpoint: WebhookEndpointView;
  /** `whsec_...`: returned by this call only. */
  secret: string;
}

export interface EndpointInput {
  url: string;
  eventTypes?: string[];
  description?: string;
}

export interface DeliveryFilter {
  endpointId?: string;
  status?: DeliveryStatus;
  limit?: number;
}

const endpointInput = (types: readonly string[]) =>
  z.object({
    url: z.string().trim().min(1, "required").max(2000),
    description: z.string().trim().max(200).default(""),
    eventTypes: z
      .array(
        z.enum(types as [string, ...string[]], { message: `must be one of ${types.join(", ")}` }),
      )
      .max(types.length)
      .default([]),
  });

const deliveryFilter = z.object({
  endpointId: z.string().optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

const endpointView = (e: WebhookEndpointDoc): WebhookEndpointView => ({
  id: e._id.toHexString(),
  url: e.url,
  description: e.description,
  eventTypes: e.eventTypes,
  enabled: e.enabled,
  createdAt: e.createdAt,
});

const deliveryView = (d: WebhookDeliveryDoc): WebhookDeliveryView => ({
  id: d._id,
  endpointId: d.endpointId.toHexString(),
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  tries: d.tries,
  nextAttemptAt: d.nextAttemptAt,
  createdAt: d.createdAt,
  attempts: d.attempts.map((a) => ({
    at: a.at,
    statusCode: a.statusCode,
    durationMs: a.durationMs,
    error: a.error,
  })),
});

function objectIdOr404(id: string, what: "endpoint" | "delivery"): Types.ObjectId {
  if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw new WebhookNotFound(what);
  return new Types.ObjectId(id);
}

/** The webhook rules over one database (control for the platform, a tenant's for its owners). */
class EndpointStore {
  constructor(
    private readonly conn: Connection,
    private readonly tenantId: string | null,
    private readonly key: Buffer,
    private readonly cfg: WebhookConfig,
  ) {}

  async create(types: readonly string[], raw: EndpointInput): Promise<CreatedEndpoint> {
    const input = parseOrThrow(endpointInput(types), raw, "webhook endpoint");
    const url = await assertWebhookUrlAllowed(input.url, {
      allowPrivateUrls: this.cfg.allowPrivateUrls,
    });
    const { Endpoint } = await webhookModels(this.conn);
    const _id = new Types.ObjectId();
    const secret = `whsec_${randomBytes(24).toString("base64")}`;
    const created = await Endpoint.create({
      _id,
      url,
      description: input.description,
      eventTypes: input.eventTypes,
      enabled: true,
      secretSealed: encryptUri(this.key, secretContext(this.tenantId, _id.toHexString()), secret),
    });
    return { endpoint: endpointView(created.toObject()), secret };
  }

  async list(): Promise<WebhookEndpointView[]> {
    const { Endpoint } = await webhookModels(this.conn);
    const rows = await Endpoint.find().sort({ _id: -1 }).lean<WebhookEndpointDoc[]>();
    return rows.map(endpointView);
  }

  async setEnabled(id: string, enabled: boolean): Promise<WebhookEndpointView> {
    const { Endpoint } = await webhookModels(this.conn);
    const doc = await Endpoint.findByIdAndUpdate(
      objectIdOr404(id, "endpoint"),
      { $set: { enabled } },
      { returnDocument: "after" },
    ).lean<WebhookEndpointDoc>();
    if (!doc) throw new WebhookNotFound("endpoint");
    return endpointView(doc);
  }

  async deliveries(raw: DeliveryFilter): Promise<WebhookDeliveryView[]> {
    const f = parseOrThrow(deliveryFilter, raw, "delivery filter");
    const { Delivery } = await webhookModels(this.conn);
    const filter: Record<string, unknown> = {};
    if (f.endpointId) filter.endpointId = objectIdOr404(f.endpointId, "endpoint");
    if (f.status) filter.status = f.status;
    const rows = await Delivery.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(f.limit)
      .lean<WebhookDeliveryDoc[]>();
    return rows.map(deliveryView);
  }

  /** A dead or delivered delivery goes out again now (its attempts so far stay in the log). */
  async replay(id: string): Promise<WebhookDeliveryView> {
    if (typeof id !== "string" || !/^[0-9a-f]{24}:[0-9a-f]{24}$/.test(id))
      throw new WebhookNotFound("delivery");
    const { Delivery } = await webhookModels(this.conn);
    const doc = await Delivery.findOneAndUpdate(
      { _id: id, status: { $in: ["dead", "delivered"] } },
      {
        $set: {
          status: "pending",
          tries: 0,
          nextAttemptAt: new Date(),
          lockedBy: null,
          lockedUntil: null,
        },
      },
      { returnDocument: "after" },
    ).lean<WebhookDeliveryDoc>();
    if (doc) return deliveryView(doc);
    if (await Delivery.exists({ _id: id }))
      throw new InvalidInput(
        "This delivery is still being retried; replay it once it is delivered or dead",
      );
    throw new WebhookNotFound("delivery");
  }
}

interface WebhooksDeps {
  controlConn: Connection;
  audit: AuditLog;
  key: Buffer;
  config: WebhookConfig;
  tenantEventTypes: string[];
  /** Wakes the worker after a replay. */
  nudge: () => void;
}

/** Super admins' endpoints for platform events. Every change is audited in the control log. */
export class PlatformWebhooks {
  private readonly store: EndpointStore;
  constructor(private readonly deps: WebhooksDeps) {
    this.store = new EndpointStore(deps.controlConn, null, deps.key, deps.config);
  }

  readonly eventTypes: readonly string[] = PLATFORM_EVENT_TYPES;

  async create(input: EndpointInput, actor: AuditActor): Promise<CreatedEndpoint> {
    const created = await this.store.create(this.eventTypes, input);
    await this.deps.audit.record({
      actor,
      action: "webhook.endpoint.created",
      target: created.endpoint.id,
      details: { url: created.endpoint.url, eventTypes: created.endpoint.eventTypes },
    });
    return created;
  }

  list(): Promise<WebhookEndpointView[]> {
    return this.store.list();
  }

  async setEnabled(id: string, enabled: boolean, actor: AuditActor): Promise<WebhookEndpointView> {
    const endpoint = await this.store.setEnabled(id, enabled);
    await this.deps.audit.record({
      actor,
      action: "webhook.endpoint.updated",
      target: endpoint.id,
      details: { enabled },
    });
    return endpoint;
  }

  deliveries(filter: DeliveryFilter = {}): Promise<WebhookDeliveryView[]> {
    return this.store.deliveries(filter);
  }

  async replay(id: string, actor: AuditActor): Promise<WebhookDeliveryView> {
    const delivery = await this.store.replay(id);
    await this.deps.audit.record({
      actor,
      action: "webhook.delivery.replayed",
      target: delivery.id,
      details: { eventType: delivery.eventType },
    });
    this.deps.nudge();
    return delivery;
  }
}

/**
 * A tenant's own endpoints, managed by its owners only (admins, members and API keys are refused).
 * Endpoints, secrets and deliveries live in the tenant's database; the control database only
 * learns the tenant's id (webhookTenants), so the worker knows whose outbox to read.
 */
export class TenantWebhooks {
  constructor(private readonly deps: WebhooksDeps) {}

  get eventTypes(): readonly string[] {
    return this.deps.tenantEventTypes;
  }

  private store(scope: TenantScope, actor: MemberActor): EndpointStore {
    if (actor.serviceAccount || actor.user.role !== "owner")
      throw new RoleForbidden("Only an owner of the organisation manages its webhooks");
    return new EndpointStore(scope.conn, scope.tenant.id, this.deps.key, this.deps.config);
  }

  async create(
    scope: TenantScope,
    actor: MemberActor,
    input: EndpointInput,
  ): Promise<CreatedEndpoint> {
    const created = await this.store(scope, actor).create(this.eventTypes, input);
    await webhookTenantModel(this.deps.controlConn).updateOne(
      { _id: scope.tenant.id },
      { $set: { updatedAt: new Date() } },
      { upsert: true },
    );
    await recordTenantAudit(scope, actor, "webhooks.create", created.endpoint.id, {
      url: created.endpoint.url,
      eventTypes: created.endpoint.eventTypes,
    });
    return created;
  }

  async list(scope: TenantScope, actor: MemberActor): Promise<WebhookEndpointView[]> {
    return this.store(scope, actor).list();
  }

  async setEnabled(
    scope: TenantScope,
    actor: MemberActor,
    id: string,
    enabled: boolean,
  ): Promise<WebhookEndpointView> {
    const endpoint = await this.store(scope, actor).setEnabled(id, enabled);
    await recordTenantAudit(
      scope,
      actor,
      enabled ? "webhooks.enable" : "webhooks.disable",
      endpoint.id,
      {
        url: endpoint.url,
      },
    );
    return endpoint;
  }

  async deliveries(
    scope: TenantScope,
    actor: MemberActor,
    filter: DeliveryFilter = {},
  ): Promise<WebhookDeliveryView[]> {
    return this.store(scope, actor).deliveries(filter);
  }

  async replay(scope: TenantScope, actor: MemberActor, id: string): Promise<WebhookDeliveryView> {
    const delivery = await this.store(scope, actor).replay(id);
    await recordTenantAudit(scope, actor, "webhooks.replay", delivery.id, {
      eventType: delivery.eventType,
    });
    this.deps.nudge();
    return delivery;
  }
}
