// Per-tenant request rates (the plan's requestsPerMinute), shared by every instance through the
// control database (rate-limiter-flexible's MongoDB store, collection `tenantRequestRates`: one
// counter document per tenant and minute, dropped by its TTL index).
//
// Not one database write per request: each instance counts the calls it admits locally and adds
// them to the shared counter every rateSyncMs in one upsert per busy tenant; the answer (the
// count of every instance together) is what the next calls are admitted against. A tenant this
// instance has not seen in the current window is read once first (so a fresh instance does not
// wave through a tenant the others already refuse). The price: between two syncs each instance
// may admit up to rateSyncMs worth of another instance's share, so the bound is soft by that
// much. Measured on the bench machine (2 cores, embedded server in the same process, 3,000 calls
// over 50 tenants): RateLimiterMongo.consume per call costs 3.9 ms one at a time and 2.8 ms of
// throughput at 16 at once, i.e. the database takes ~350 counter writes/s, about what the api
// serves in total (BENCHMARKS.md scenario 1), so a write per request would halve capacity; the
// local count costs 0.6 µs per call. (rate-limiter-flexible's inMemoryBlockOnConsumed only saves
// the writes once a key is over its limit, not below it.)
import type { MongoClient } from "mongodb";
import { RateLimiterMongo } from "rate-limiter-flexible";

import { TenantRateLimited } from "./errors";
import type { TenancyLogger } from "./tenancy-logger";

const WINDOW_SECONDS = 60;
const COLLECTION = "tenantRequestRates";

interface RateState {
  /** Calls counted by all instances in the window, as of the last sync. */
  used: number;
  /** Calls this instance admitted since, not yet added to the shared counter. */
  pending: number;
  /** Calls being added right now (sent, not yet answered). */
  sending: number;
  /** When the shared window ends (epoch ms); 0 while no instance has opened one. */
  resetAt: number;
}

export class TenantRateLimits {
  private readonly limiter: RateLimiterMongo;
  private readonly states = new Map<string, RateState>();
  private readonly firstReads = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private refusedTotal = 0;
  private syncing: Promise<void> | null = null;

  constructor(
    client: MongoClient,
    dbName: string,
    private readonly syncMs: number,
    private readonly logger: TenancyLogger,
  ) {
    this.limiter = new RateLimiterMongo({
      storeClient: client,
      dbName,
      tableName: COLLECTION,
      keyPrefix: "tenant",
      // Each tenant's own limit is compared here, against the shared count the store returns.
      points: Number.MAX_SAFE_INTEGER,
      duration: WINDOW_SECONDS,
    });
  }

  start(): void {
    this.timer ??= setInterval(() => void this.sync(), this.syncMs);
    this.timer.unref();
  }

  /** Stops the timer and adds what is still pending to the shared counter. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sync();
  }

  stats(): { rateRefusals: number } {
    return { rateRefusals: this.refusedTotal };
  }

  /**
   * Counts one call of the tenant, or throws TenantRateLimited when the tenant is at `perMinute`.
   * Returns a promise only the first time a window sees the tenant on this instance.
   */
  admit(tenantId: string, perMinute: number): Promise<void> | void {
    const state = this.states.get(tenantId);
    if (state && !(state.resetAt && Date.now() >= state.resetAt)) {
      this.count(tenantId, state, perMinute);
      return;
    }
    return this.firstRead(tenantId).then(() => {
      this.count(tenantId, this.stateOf(tenantId), perMinute);
    });
  }

  /** Adds every tenant's pending calls to the shared counter (the timer calls it every syncMs). */
  sync(): Promise<void> {
    this.syncing ??= this.syncAll().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private count(tenantId: string, state: RateState, perMinute: number): void {
    if (state.used + state.sending + state.pending >= perMinute) {
      this.refusedTotal++;
      const left = state.resetAt ? state.resetAt - Date.now() : WINDOW_SECONDS * 1000;
      throw new TenantRateLimited(tenantId, perMinute, Math.max(1, Math.ceil(left / 1000)));
    }
    state.pending++;
  }

  private stateOf(tenantId: string): RateState {
    let state = this.states.get(tenantId);
    if (!state) {
      state = { used: 0, pending: 0, sending: 0, resetAt: 0 };
      this.states.set(tenantId, state);
    }
    return state;
  }

  /** The shared count as it stands (a read, no write); concurrent first calls share it. */
  private firstRead(tenantId: string): Promise<void> {
    let reading = this.firstReads.get(tenantId);
    if (!reading) {
      reading = this.limiter
        .get(tenantId)
        .then((res) => {
          const state = this.stateOf(tenantId);
          state.used = res?.consumedPoints ?? 0;
          state.resetAt = res ? Date.now() + res.msBeforeNext : 0;
        })
        .catch((err: unknown) => {
          // Fail open: an unreadable counter must not refuse every tenant's calls.
          this.logger.warn({ err: (err as Error).message, tenantId }, "tenant rate read failed");
          const state = this.stateOf(tenantId);
          state.used = 0;
          state.resetAt = 0;
        })
        .finally(() => this.firstReads.delete(tenantId));
      this.firstReads.set(tenantId, reading);
    }
    return reading;
  }

  private async syncAll(): Promise<void> {
    const now = Date.now();
    const work: Promise<void>[] = [];
    for (const [tenantId, state] of this.states) {
      if (state.pending === 0) {
        // A window that ended with nothing pending: forget it (the next call reads again).
        if (state.sending === 0 && (state.resetAt === 0 || now >= state.resetAt))
          this.states.delete(tenantId);
        continue;
      }
      const n = state.pending;
      state.pending = 0;
      state.sending = n;
      work.push(
        this.limiter
          .consume(tenantId, n)
          .then((res) => {
            state.used = res.consumedPoints;
            state.resetAt = Date.now() + res.msBeforeNext;
          })
          .catch((err: unknown) => {
            state.pending += n; // counted again on the next sync
            this.logger.warn({ err: (err as Error).message, tenantId }, "tenant rate sync failed");
          })
          .finally(() => (state.sending = 0)),
      );
    }
    await Promise.all(work);
  }
}
