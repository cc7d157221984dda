// The transactional outbox: a change and the event announcing it are written in one transaction,
// so the event exists exactly when the change committed. The webhook relay reads the outbox later
// (webhooks/webhook-worker.ts); nothing is sent from inside a transaction.
import type { ClientSession, Connection, Model, Types } from "mongoose";
import { Schema } from "mongoose";

import { ensureCollection } from "../collection-setup";
import { modelOn } from "../model-sharing";
import type { TenancyHooks } from "../config";
import type { EventInput } from "./catalogue";

export interface OutboxDoc {
  _id: Types.ObjectId;
  type: string;
  data: Record<string, unknown>;
  at: Date;
  /** The tenant the event is about (platform events) or belongs to (tenant events). */
  tenantId: string | null;
  /** Set once the relay has made this event's deliveries. */
  relayedAt: Date | null;
}

const OUTBOX_COLLECTION = "eventOutbox";

const outboxSchema = new Schema<OutboxDoc>(
  {
    type: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    at: { type: Date, required: true },
    tenantId: { type: String, default: null },
    relayedAt: { type: Date, default: null },
  },
  {
    collection: OUTBOX_COLLECTION,
    minimize: false,
    versionKey: false,
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
  },
);
outboxSchema.index({ relayedAt: 1, _id: 1 });

const ready = new WeakMap<Connection, Promise<void>>();

/** The collection exists before any transaction writes to it (and its index is built), once per connection. */
async function ensureReady(conn: Connection): Promise<void> {
  let done = ready.get(conn);
  if (!done) {
    done = (async () => {
      await ensureCollection(outboxModel(conn) as unknown as Model<never>);
    })();
    done.catch(() => ready.delete(conn));
    ready.set(conn, done);
  }
  return done;
}

/** The outbox of the database behind `conn` (control or a tenant's). */
export function outboxModel(conn: Connection): Model<OutboxDoc> {
  return modelOn<OutboxDoc>(conn, "EventOutbox", outboxSchema);
}

export type Emit = (event: EventInput) => void;

/**
 * Runs `fn` in a transaction on `conn`'s client; the events it emits are inserted into the outbox
 * of `conn`'s database in the same transaction. `fn` must pass `session` to every write and may
 * be re-run by the driver on a transient error, so it emits afresh each time.
 */
export class EventOutbox {
  constructor(
    private readonly hooks: TenancyHooks,
    /** Called after a commit that wrote events (wakes the relay in this process). */
    private readonly onCommitted: (tenantId: string | null) => void = () => undefined,
  ) {}

  async transaction<T>(
    conn: Connection,
    tenantId: string | null,
    fn: (session: ClientSession, emit: Emit) => Promise<T>,
  ): Promise<T> {
    await ensureReady(conn);
    const session = await conn.startSession();
    let result: T | undefined;
    let emitted = 0;
    try {
      await session.withTransaction(async () => {
        const events: EventInput[] = [];
        result = await fn(session, (e) => events.push(e));
        emitted = events.length;
        if (!events.length) return;
        const at = new Date();
        await outboxModel(conn).insertMany(
          events.map((e) => ({ type: e.type, data: e.data, at, tenantId, relayedAt: null })),
          { session },
        );
        // Test hook: throwing here aborts the transaction after the change was written.
        for (const e of events) await this.hooks.beforeEventCommit?.(e);
      });
    } finally {
      await session.endSession();
    }
    if (emitted) this.onCommitted(tenantId);
    return result as T;
  }
}
