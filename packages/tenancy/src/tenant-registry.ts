// Cached tenant records with cross-instance invalidation. Every status change bumps a counter
// document in the control DB and appends the tenant id to a short ring in the same atomic
// update; each instance polls the counter (a one-field read) every registryRefreshMs and drops
// exactly the records that changed. If the control DB cannot be polled, cached records go stale
// and are re-read (failing closed) rather than trusted.
import { LRUCache } from "lru-cache";
import type { ChangeStream } from "mongodb";
import { isValidObjectId } from "mongoose";

import type { PlanName } from "./policies/plans";
import { catalogueName, normalizeOverrides } from "./policies/plans";
import type { TenancyLogger } from "./tenancy-logger";
import type { ControlModels, TenantDoc, TenantStatus } from "./control-models";
import {
  TenantDeleted,
  TenantNotFound,
  TenantSuspended,
  TenantUnavailable,
  isUnreachableError,
} from "./errors";

export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  statusReason: string | null;
  dbName: string;
  cluster: string;
  /** A catalogue plan (policies/plans.ts). */
  plan: PlanName;
  modules: string[];
  /** Per-tenant overrides of the plan's limits, by limit name. */
  limits: Record<string, number>;
  schemaVersion: number;
  createdAt: Date;
  updatedAt: Date;
  suspendedAt: Date | null;
  deletedAt: Date | null;
  purgeAfter: Date | null;
  purgedAt: Date | null;
}

export function toTenantRecord(doc: TenantDoc): TenantRecord {
  return {
    id: doc._id.toHexString(),
    slug: doc.slug,
    name: doc.name,
    status: doc.status,
    statusReason: doc.statusReason ?? null,
    dbName: doc.dbName,
    cluster: doc.cluster,
    plan: catalogueName(doc.plan),
    modules: doc.modules ?? [],
    limits: normalizeOverrides(doc.limits),
    schemaVersion: doc.schemaVersion ?? 0,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    suspendedAt: doc.suspendedAt ?? null,
    deletedAt: doc.deletedAt ?? null,
    purgeAfter: doc.purgeAfter ?? null,
    purgedAt: doc.purgedAt ?? null,
  };
}

const VERSION_ID = "tenants";
const RING_SIZE = 256;

/** Throws the typed error for any status other than active. */
export function assertActive(record: TenantRecord): TenantRecord {
  switch (record.status) {
    case "active":
      return record;
    case "suspended":
      throw new TenantSuspended(record.id, record.statusReason ?? "suspended");
    case "deleted":
    case "purged":
      throw new TenantDeleted(record.id);
    case "provisioning":
      throw new TenantUnavailable("Tenant is still being provisioned", record.id);
  }
}

/**
 * For admin reads (withTenant allowInactive): a suspended or deleted tenant's database still
 * exists and may be read; a purged one has none and a provisioning one is half-built.
 */
export function assertReadable(record: TenantRecord): TenantRecord {
  if (record.status === "suspended" || record.status === "deleted") return record;
  return assertActive(record);
}

/** Named so PoolStats (an admin API output) need not name the class and, through it, mongoose. */
export interface RegistryStats {
  cached: number;
  hits: number;
  misses: number;
  invalidations: number;
  polls: number;
  pollFailures: number;
  version: number | null;
  changeStream: "starting" | "active" | "unsupported" | "off";
}

export class TenantRegistry {
  private readonly byId: LRUCache<string, TenantRecord>;
  private readonly slugToId = new Map<string, string>();
  private lastVersion: number | null = null;
  private lastPollOkAt = 0;
  private polling = false;
  /** Bumped on every invalidation so a read that raced a change is not cached. */
  private epoch = 0;
  private timer: NodeJS.Timeout | null = null;
  private stream: ChangeStream | null = null;
  /** "active" once a change event arrived; "unsupported" if the server refused the stream. */
  private changeStreamState: "starting" | "active" | "unsupported" | "off" = "off";
  private readonly staleAfterMs: number;
  private counters = { hits: 0, misses: 0, invalidations: 0, polls: 0, pollFailures: 0 };

  constructor(
    private readonly models: ControlModels,
    private readonly refreshMs: number,
    private readonly logger: TenancyLogger,
    /** Races control-DB reads against the control cluster's breaker so a hung DB fails fast. */
    private readonly guard: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
  ) {
    // A missed poll or two is tolerated; beyond that the cache is not trusted.
    this.staleAfterMs = Math.max(1000, refreshMs * 4);
    // ttlResolution 0: lru-cache otherwise arms a 1 ms timer to cache the clock, an extra event-loop
    // wake-up per tenant call when calls arrive one at a time (api issue #7).
    this.byId = new LRUCache({ max: 50_000, ttl: 5 * 60_000, ttlResolution: 0 });
  }

  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.refreshMs);
    this.timer.unref();
    this.watchChanges();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const stream = this.stream;
    this.stream = null;
    if (stream) void stream.close().catch(() => undefined);
    if (this.changeStreamState !== "unsupported") this.changeStreamState = "off";
  }

  /**
   * Where the server supports change streams, a change to the version document triggers an
   * immediate poll; the poll loop stays on regardless, so correctness never depends on it.
   */
  private watchChanges(): void {
    try {
      const stream = this.models.RegistryVersion.collection.watch([], { maxAwaitTimeMS: 1000 });
      this.stream = stream;
      this.changeStreamState = "starting";
      stream.on("change", () => {
        this.changeStreamState = "active";
        void this.poll();
      });
      stream.on("error", (err: Error) => {
        this.changeStreamState = "unsupported";
        this.logger.info(
          { err: err.message },
          "change streams unavailable; using the version poll alone",
        );
        if (this.stream === stream) this.stream = null;
        void stream.close().catch(() => undefined);
      });
    } catch (err) {
      this.changeStreamState = "unsupported";
      this.logger.info(
        { err: (err as Error).message },
        "change streams unavailable; using the version poll alone",
      );
    }
  }

  async get(id: string): Promise<TenantRecord> {
    const cached = this.fresh() ? this.byId.get(id) : undefined;
    if (cached) {
      this.counters.hits++;
      return cached;
    }
    this.counters.misses++;
    if (!isValidObjectId(id) || !/^[0-9a-f]{24}$/i.test(id)) throw new TenantNotFound(id);
    const epoch = this.epoch;
    const doc = await this.read(() => this.models.Tenant.findById(id).lean<TenantDoc>());
    if (!doc) throw new TenantNotFound(id);
    return this.remember(toTenantRecord(doc), epoch);
  }

  async getBySlug(slug: string): Promise<TenantRecord> {
    const id = this.slugToId.get(slug);
    if (id && this.fresh()) {
      const cached = this.byId.get(id);
      if (cached && cached.slug === slug) {
        this.counters.hits++;
        return cached;
      }
    }
    this.counters.misses++;
    const epoch = this.epoch;
    const doc = await this.read(() => this.models.Tenant.findOne({ slug }).lean<TenantDoc>());
    if (!doc) throw new TenantNotFound(slug);
    return this.remember(toTenantRecord(doc), epoch);
  }

  async requireActive(id: string): Promise<TenantRecord> {
    return assertActive(await this.get(id));
  }

  isCached(id: string): boolean {
    return this.byId.has(id);
  }

  /** Records a change: drops the local copy now, and every other instance's on its next poll. */
  async announce(tenantId: string): Promise<void> {
    this.invalidate(tenantId);
    await this.models.RegistryVersion.updateOne(
      { _id: VERSION_ID },
      { $inc: { v: 1 }, $push: { recent: { $each: [{ tenantId }], $slice: -RING_SIZE } } },
      { upsert: true },
    );
  }

  invalidate(tenantId: string): void {
    const cached = this.byId.get(tenantId);
    if (cached && this.slugToId.get(cached.slug) === tenantId) this.slugToId.delete(cached.slug);
    this.byId.delete(tenantId);
    this.epoch++;
    this.counters.invalidations++;
  }

  stats(): RegistryStats {
    return {
      cached: this.byId.size,
      ...this.counters,
      version: this.lastVersion,
      changeStream: this.changeStreamState,
    };
  }

  private fresh(): boolean {
    return Date.now() - this.lastPollOkAt <= this.staleAfterMs;
  }

  private remember(record: TenantRecord, epoch: number): TenantRecord {
    if (epoch !== this.epoch) return record;
    this.byId.set(record.id, record);
    this.slugToId.set(record.slug, record.id);
    return record;
  }

  private async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.guard(fn);
    } catch (err) {
      if (isUnreachableError(err))
        throw new TenantUnavailable("Control database is unreachable", undefined, { cause: err });
      throw err;
    }
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const startedAt = Date.now();
    try {
      this.counters.polls++;
      const head = await this.guard(() =>
        this.models.RegistryVersion.findById(VERSION_ID, { v: 1 }).lean(),
      );
      const v = head?.v ?? 0;
      if (this.lastVersion !== null && v !== this.lastVersion) {
        const doc = await this.guard(() => this.models.RegistryVersion.findById(VERSION_ID).lean());
        const current = doc?.v ?? 0;
        const missed = current - this.lastVersion;
        const recent = doc?.recent ?? [];
        if (missed < 0 || missed > recent.length) {
          this.byId.clear();
          this.slugToId.clear();
          this.epoch++;
        } else {
          for (const entry of recent.slice(recent.length - missed)) this.invalidate(entry.tenantId);
        }
        this.lastVersion = current;
      } else if (this.lastVersion === null) {
        this.lastVersion = v;
      }
      this.lastPollOkAt = startedAt;
    } catch (err) {
      this.counters.pollFailures++;
      this.logger.warn({ err: (err as Error).message }, "tenant registry poll failed");
    } finally {
      this.polling = false;
    }
  }
}
