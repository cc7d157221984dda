// The relay and delivery worker: a plain poll loop. Each round it turns new outbox events into one
// delivery per matching endpoint (control outbox -> platform endpoints; each webhook tenant's
// outbox -> that tenant's endpoints, in its own database), then sends the due deliveries. A
// delivery is claimed with findOneAndUpdate on `nextAttemptAt` and a lock (`lockedBy`,
// `lockedUntil`), so across instances exactly one sends each attempt.
import type { Connection } from "mongoose";

import { decryptUri } from "../cluster-crypto";
import { TenantNotFound } from "../errors";
import { outboxModel } from "../events/outbox";
import type { OutboxDoc } from "../events/outbox";
import type { TenancyRuntime } from "../tenancy-runtime";
import { withHandle } from "../tenancy-runtime";
import type { WebhookConfig } from "./webhook-config";
import { retryDelayMs } from "./webhook-config";
import type { WebhookDeliveryDoc, WebhookEndpointDoc } from "./webhook-models";
import { webhookModels, webhookTenantModel } from "./webhook-models";
import { sendWebhook } from "./webhook-sender";

const RELAY_BATCH = 100;
const SEND_BATCH = 10;

/** Where an endpoint's secret is sealed: bound to its database's owner and its id. */
export function secretContext(tenantId: string | null, endpointId: string): string {
  return `webhook:${tenantId ?? "platform"}:${endpointId}`;
}

function messageId(eventId: string): string {
  return `msg_${eventId}`;
}

export interface WorkerRound {
  relayed: number;
  sent: number;
}

export class WebhookWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<WorkerRound> | null = null;
  private stopped = true;
  private again = false;

  constructor(
    private readonly rt: TenancyRuntime,
    private readonly cfg: WebhookConfig,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** An event was committed in this process: run a round soon rather than at the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce()
        .catch((err: unknown) =>
          this.rt.config.logger.warn({ err: (err as Error).message }, "webhook round failed"),
        )
        .finally(() => {
          if (this.stopped) return;
          const next = this.again ? 0 : this.cfg.pollMs;
          this.again = false;
          this.schedule(next);
        });
    }, ms);
    this.timer.unref();
  }

  /** One round over every outbox and due delivery (tests call it directly). */
  runOnce(): Promise<WorkerRound> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<WorkerRound> {
    const total: WorkerRound = { relayed: 0, sent: 0 };
    const add = (r: WorkerRound) => {
      total.relayed += r.relayed;
      total.sent += r.sent;
    };
    add(await this.work(this.rt.controlConn, null));
    const tenants = await webhookTenantModel(this.rt.controlConn).find().lean();
    for (const { _id: tenantId } of tenants) {
      try {
        const tenant = await this.rt.registry.get(tenantId).catch((err: unknown) => {
          if (err instanceof TenantNotFound) return null;
          throw err;
        });
        // A purged tenant's endpoints went with its database: stop visiting it.
        if (!tenant || tenant.status === "purged") {
          await webhookTenantModel(this.rt.controlConn).deleteOne({ _id: tenantId });
          continue;
        }
        // A suspended or deleted tenant's events wait; they go out if it comes back.
        if (tenant.status !== "active") continue;
        add(await withHandle(this.rt, tenant, (scope) => this.work(scope.conn, tenantId)));
      } catch (err) {
        this.rt.config.logger.warn(
          { tenantId, err: (err as Error).message },
          "webhook round skipped a tenant",
        );
      }
    }
    return total;
  }

  private async work(conn: Connection, tenantId: string | null): Promise<WorkerRound> {
    const relayed = await this.relay(conn);
    let sent = 0;
    for (;;) {
      const n = await this.sendDue(conn, tenantId);
      sent += n;
      if (n < SEND_BATCH) break;
    }
    return { relayed, sent };
  }

  /** New outbox events -> one delivery per enabled endpoint whose filter matches. */
  private async relay(conn: Connection): Promise<number> {
    const Outbox = outboxModel(conn);
    const events = await Outbox.find({ relayedAt: null })
      .sort({ _id: 1 })
      .limit(RELAY_BATCH)
      .lean<OutboxDoc[]>();
    if (!events.length) return 0;
    const { Endpoint, Delivery } = await webhookModels(conn);
    const endpoints = await Endpoint.find({ enabled: true }).lean<WebhookEndpointDoc[]>();
    for (const event of events) {
      const eventId = event._id.toHexString();
      const body = JSON.stringify({
        type: event.type,
        timestamp: event.at.toISOString(),
        data: event.data,
      });
      const matching = endpoints.filter(
        (e) =>
          e.createdAt.getTime() <= event.at.getTime() &&
          (e.eventTypes.length === 0 || e.eventTypes.includes(event.type)),
      );
      // Upserts by `<event>:<endpoint>`: a relay that crashed before marking the event redoes none.
      if (matching.length)
        await Delivery.bulkWrite(
          matching.map((e) => ({
            updateOne: {
              filter: { _id: `${eventId}:${e._id.toHexString()}` },
              update: {
                $setOnInsert: {
                  endpointId: e._id,
                  eventId,
                  eventType: event.type,
                  body,
                  status: "pending",
                  attempts: [],
                  tries: 0,
                  nextAttemptAt: new Date(),
                  lockedBy: null,
                  lockedUntil: null,
                },
              },
              upsert: true,
            },
          })),
        );
      await Outbox.updateOne({ _id: event._id }, { $set: { relayedAt: new Date() } });
    }
    return events.length;
  }

  /** Claims up to SEND_BATCH due deliveries and sends them concurrently. */
  private async sendDue(conn: Connection, tenantId: string | null): Promise<number> {
    const { Endpoint, Delivery } = await webhookModels(conn);
    const claimed: WebhookDeliveryDoc[] = [];
    for (let i = 0; i < SEND_BATCH; i++) {
      const now = new Date();
      const doc = await Delivery.findOneAndUpdate(
        {
          status: "pending",
          nextAttemptAt: { $lte: now },
          $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }],
        },
        {
          $set: {
            lockedBy: this.rt.instanceId,
            lockedUntil: new Date(now.getTime() + this.cfg.timeoutMs + 30_000),
          },
        },
        { sort: { nextAttemptAt: 1 }, returnDocument: "after" },
      ).lean<WebhookDeliveryDoc>();
      if (!doc) break;
      claimed.push(doc);
    }
    await Promise.all(
      claimed.map(async (delivery) => {
        const endpoint = await Endpoint.findById(delivery.endpointId).lean<WebhookEndpointDoc>();
        const mine = { _id: delivery._id, lockedBy: this.rt.instanceId };
        if (!endpoint || !endpoint.enabled) {
          // Waits, unlocked, until the endpoint is enabled again (or replayed later).
          await Delivery.updateOne(mine, {
            $set: { lockedBy: null, lockedUntil: null, nextAttemptAt: null, status: "dead" },
            $push: {
              attempts: {
                at: new Date(),
                statusCode: null,
                durationMs: 0,
                error: endpoint ? "endpoint disabled" : "endpoint removed",
              },
            },
          });
          return;
        }
        const secret = decryptUri(
          this.rt.config.encryptionKeyBytes,
          secretContext(tenantId, endpoint._id.toHexString()),
          endpoint.secretSealed,
        );
        const attempt = await sendWebhook({
          url: endpoint.url,
          secret,
          msgId: messageId(delivery.eventId),
          body: delivery.body,
          timeoutMs: this.cfg.timeoutMs,
          policy: { allowPrivateUrls: this.cfg.allowPrivateUrls },
        });
        const tries = delivery.tries + 1;
        const ok = attempt.error === null;
        const dead = !ok && tries >= this.cfg.maxAttempts;
        await Delivery.updateOne(mine, {
          $set: {
            status: ok ? "delivered" : dead ? "dead" : "pending",
            tries,
            nextAttemptAt: ok || dead ? null : new Date(Date.now() + retryDelayMs(this.cfg, tries)),
            lockedBy: null,
            lockedUntil: null,
          },
          $push: { attempts: attempt },
        });
      }),
    );
    return claimed.length;
  }
}
