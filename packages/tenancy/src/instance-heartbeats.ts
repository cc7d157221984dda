// The API fleet: every instance serving the API writes its own entry in control `apiInstances`
// on an interval (one upsert by its id), so any instance can list them all with their own pool
// figures and uptime, not only its own. A clean shutdown deletes the entry; a crashed instance's
// entry reads as stale after three missed beats and expires an hour after its last one (TTL).
// lastSeenAt is the writer's clock and staleness the reader's: instances are assumed NTP-synced.
import { hostname } from "node:os";

import type { ApiInstanceDoc, ControlModels } from "./control-models";
import { API_INSTANCE_TTL_SECONDS } from "./control-models";
import type { PoolStats, ReportedPoolStats } from "./pool-stats";
import { reportedPoolStats } from "./pool-stats";
import type { TenancyLogger } from "./tenancy-logger";

/** Who the instance is, from the process that serves the API (its services). */
export interface InstanceIdentity {
  instanceId: string;
  version: string;
  /** When this instance started serving: its uptime is counted from here. */
  startedAt: Date;
}

export interface FleetInstance {
  instanceId: string;
  hostname: string;
  pid: number;
  node: string;
  version: string;
  startedAt: Date;
  lastSeenAt: Date;
  /** Seconds from startedAt to now (the reader's now). */
  uptimeSeconds: number;
  /** No beat for more than three of the instance's own intervals: probably gone. */
  stale: boolean;
  memory: { rssBytes: number; heapUsedBytes: number };
  pool: ReportedPoolStats;
}

/** Beats missed before an instance reads as stale. */
const STALE_AFTER_BEATS = 3;

export class InstanceHeartbeats {
  private identity: InstanceIdentity | null = null;
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;

  constructor(
    private readonly control: ControlModels,
    private readonly intervalMs: number,
    private readonly poolStats: () => PoolStats,
    private readonly logger: TenancyLogger,
  ) {}

  /**
   * Writes the first beat now, then one every interval (unref'd); a second start is a no-op. A
   * failed beat is logged, never thrown: the fleet list is for people, serving comes first.
   */
  async start(identity: InstanceIdentity): Promise<void> {
    if (this.identity) return;
    this.identity = identity;
    const beatOrWarn = () =>
      this.beat().catch((err: unknown) =>
        this.logger.warn({ err: (err as Error).message }, "instance heartbeat failed"),
      );
    this.timer = setInterval(() => void beatOrWarn(), this.intervalMs);
    this.timer.unref();
    await beatOrWarn();
  }

  /** Stops beating and deletes this instance's entry (before the control connection closes). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const identity = this.identity;
    this.identity = null;
    await this.beating?.catch(() => undefined);
    if (identity) await this.control.ApiInstance.deleteOne({ _id: identity.instanceId });
  }

  /** One upsert of this instance's entry; overlapping beats share one write. */
  beat(): Promise<void> {
    this.beating ??= this.write().finally(() => {
      this.beating = null;
    });
    return this.beating;
  }

  /** Every instance seen in the last hour, oldest first (a TTL index drops them too, lazily). */
  async list(now = new Date()): Promise<FleetInstance[]> {
    const docs = await this.control.ApiInstance.find({
      lastSeenAt: { $gte: new Date(now.getTime() - API_INSTANCE_TTL_SECONDS * 1000) },
    })
      .sort({ startedAt: 1, _id: 1 })
      .lean<ApiInstanceDoc[]>();
    return docs.map((d) => ({
      instanceId: d._id,
      hostname: d.hostname,
      pid: d.pid,
      node: d.node,
      version: d.version,
      startedAt: d.startedAt,
      lastSeenAt: d.lastSeenAt,
      uptimeSeconds: Math.max(0, Math.round((now.getTime() - d.startedAt.getTime()) / 1000)),
      stale: now.getTime() - d.lastSeenAt.getTime() > STALE_AFTER_BEATS * d.intervalMs,
      memory: d.memory,
      pool: d.pool as unknown as ReportedPoolStats,
    }));
  }

  private async write(): Promise<void> {
    const identity = this.identity;
    if (!identity) return;
    const mem = process.memoryUsage();
    const entry: Omit<ApiInstanceDoc, "_id"> = {
      hostname: hostname(),
      pid: process.pid,
      node: process.version,
      version: identity.version,
      startedAt: identity.startedAt,
      lastSeenAt: new Date(),
      intervalMs: this.intervalMs,
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
      pool: reportedPoolStats(this.poolStats()),
    };
    await this.control.ApiInstance.updateOne(
      { _id: identity.instanceId },
      { $set: entry },
      { upsert: true },
    );
  }
}
