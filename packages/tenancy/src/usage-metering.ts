// Usage metering: per tenant per UTC day, API calls (counted in memory, flushed with one bulk of
// `$inc` upserts every flush interval and at shutdown, never one write per call) and a snapshot of
// seats, storage bytes and documents per counted module (taken at a flush, at most once per
// snapshot interval per tenant). The control database gets counts only (control `usageDaily`).
import type { AnyBulkWriteOperation } from "mongoose";
import { Types } from "mongoose";

import { forEachBounded } from "./bounded-concurrency";
import type { ControlModels, UsageDailyDoc } from "./control-models";
import { InvalidInput, TenantNotFound } from "./errors";
import type { TenancyLogger } from "./tenancy-logger";

/** What a snapshot measures: the tenant's seats, database size and items per counted module. */
export interface UsageSnapshot {
  seats: number;
  storageBytes: number;
  documents: Record<string, number>;
}

/** One row of a tenant's daily usage (a day without a record reads as zero calls, no snapshot). */
export interface UsageDay {
  day: string;
  apiCalls: number;
  seats: number | null;
  storageBytes: number | null;
  documents: Record<string, number>;
}

export interface UsageFlushReport {
  /** Tenant-days whose call count was written. */
  tenants: number;
  calls: number;
  /** Tenants whose seats/storage/documents were measured in this flush. */
  snapshots: number;
}

export interface UsageMeterOptions {
  /** Measures one tenant; null when it cannot be measured now (purged, provisioning, unreachable). */
  measure: (tenantId: string) => Promise<UsageSnapshot | null>;
  /** The counted modules' names: the CSV's document columns, in this order. */
  moduleNames: readonly string[];
  snapshotEveryMs: number;
  /**
   * Whether the tenant can be measured without opening its handle (it is still in the pool). A
   * flush measures only those: the tenants called since the last flush can be 10,000 a minute,
   * and opening all their handles (all at once, before) thrashed the pool; the hourly
   * `tenancy.usageSnapshots` measures every tenant, the rest included. Default: all of them.
   */
  isOpen?: (tenantId: string) => boolean;
  logger: TenancyLogger;
  now?: () => Date;
}

/** Longest history one read (or one CSV) returns. */
export const MAX_USAGE_DAYS = 366;
const DAY_MS = 86_400_000;
/** Measurements a flush runs at once: each holds a lease and a few commands on the tenant's pool. */
const FLUSH_MEASURE_CONCURRENCY = 4;

export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

export class UsageMeter {
  /** Calls not yet written, by tenant id, then by UTC day (a flush after midnight keeps both days). */
  private pending = new Map<string, Map<string, number>>();
  /** When each tenant was last measured (ms), in this process. */
  private measuredAt = new Map<string, number>();
  private flushing: Promise<UsageFlushReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The current day's string, recomputed only when the clock passes its end. */
  private today = "";
  private todayEndsAt = 0;
  private readonly now: () => Date;

  constructor(
    private readonly control: ControlModels,
    private readonly opts: UsageMeterOptions,
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  /** Counts one API call of the tenant, in memory only (the hot path: no I/O). */
  recordCall(tenantId: string): void {
    addCount(this.pending, tenantId, this.currentDay(), 1);
  }

  /** Calls counted here and not yet flushed (all tenants). */
  pendingCalls(): number {
    let n = 0;
    for (const days of this.pending.values()) for (const c of days.values()) n += c;
    return n;
  }

  /**
   * Writes the counted calls as one bulk of `$inc` upserts (one round trip, whatever the number of
   * calls) with fresh snapshots of the tenants due one. A failed write puts its counts back, so the
   * next flush retries them. Concurrent flushes share one run.
   */
  flush(opts: { snapshots?: boolean } = {}): Promise<UsageFlushReport> {
    this.flushing ??= this.runFlush(opts.snapshots ?? true).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Flushes every `seconds` (unref'd: never keeps the process alive); 0 = only explicit flushes. */
  start(seconds: number): void {
    if (seconds <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.flush().catch((err: unknown) =>
        this.opts.logger.warn({ err: (err as Error).message }, "usage flush failed"),
      );
    }, seconds * 1000);
    this.timer.unref();
  }

  /** Stops the timer and writes what is left (calls only: tenant handles are closing). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flushing?.catch(() => undefined);
    await this.flush({ snapshots: false });
  }

  /** Measures one tenant now and stores it as today's snapshot (seed scripts, CLI, tests). */
  async snapshot(tenantId: string): Promise<UsageSnapshot | null> {
    const measured = await this.opts.measure(tenantId);
    if (!measured) return null;
    this.measuredAt.set(tenantId, this.now().getTime());
    await this.control.UsageDaily.bulkWrite([snapshotOp(tenantId, this.currentDay(), measured)]);
    return measured;
  }

  /** The tenant's last `days` UTC days, oldest first, today last; days without a record are zeros. */
  async daily(tenantId: string, days = 30): Promise<UsageDay[]> {
    assertDays(days);
    if (!Types.ObjectId.isValid(tenantId)) throw new TenantNotFound(tenantId);
    const end = this.now();
    const span = Array.from({ length: days }, (_, i) =>
      utcDay(new Date(end.getTime() - (days - 1 - i) * DAY_MS)),
    );
    const docs = await this.control.UsageDaily.find({
      tenantId: new Types.ObjectId(tenantId),
      day: { $gte: span[0], $lte: span[span.length - 1] },
    }).lean<UsageDailyDoc[]>();
    const byDay = new Map(docs.map((d) => [d.day, d]));
    return span.map((day) => toUsageDay(day, byDay.get(day)));
  }

  /** Every tenant's records of the days from `first` to `last` (inclusive), by tenant id. */
  async range(first: string, last: string): Promise<Map<string, UsageDay[]>> {
    const docs = await this.control.UsageDaily.find({ day: { $gte: first, $lte: last } })
      .sort({ tenantId: 1, day: 1 })
      .lean<UsageDailyDoc[]>();
    const out = new Map<string, UsageDay[]>();
    for (const d of docs) {
      const id = d.tenantId.toHexString();
      const rows = out.get(id) ?? [];
      rows.push(toUsageDay(d.day, d));
      out.set(id, rows);
    }
    return out;
  }

  /**
   * The rows as CSV, header first: day, apiCalls, seats, storageBytes, then one column per counted
   * module. Hand-written, not a CSV library: every cell is a date, a number or empty and every
   * column name a module name (letters, digits, - and _), so nothing ever needs quoting.
   */
  csv(rows: readonly UsageDay[]): string {
    const modules = this.opts.moduleNames;
    const header = [
      "day",
      "apiCalls",
      "seats",
      "storageBytes",
      ...modules.map((m) => `documents.${m}`),
    ];
    const cell = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));
    const lines = rows.map((r) =>
      [
        r.day,
        String(r.apiCalls),
        cell(r.seats),
        cell(r.storageBytes),
        ...modules.map((m) => cell(r.documents[m])),
      ].join(","),
    );
    return `${[header.join(","), ...lines].join("\n")}\n`;
  }

  private currentDay(): string {
    const now = this.now().getTime();
    if (now >= this.todayEndsAt || now < this.todayEndsAt - DAY_MS) {
      this.today = utcDay(new Date(now));
      this.todayEndsAt = Date.parse(`${this.today}T00:00:00.000Z`) + DAY_MS;
    }
    return this.today;
  }

  private async runFlush(snapshots: boolean): Promise<UsageFlushReport> {
    const taken = this.pending;
    this.pending = new Map();
    const ops: AnyBulkWriteOperation<UsageDailyDoc>[] = [];
    let calls = 0;
    let tenantDays = 0;
    for (const [tenantId, days] of taken) {
      for (const [day, n] of days) {
        ops.push({
          updateOne: {
            filter: { tenantId: new Types.ObjectId(tenantId), day },
            update: { $inc: { apiCalls: n } },
            upsert: true,
          },
        });
        calls += n;
        tenantDays += 1;
      }
    }
    let measured = 0;
    if (snapshots) {
      const now = this.now().getTime();
      const isOpen = this.opts.isOpen ?? (() => true);
      const due = [...taken.keys()].filter(
        (id) =>
          now - (this.measuredAt.get(id) ?? -Infinity) >= this.opts.snapshotEveryMs && isOpen(id),
      );
      const day = this.currentDay();
      await forEachBounded(due, FLUSH_MEASURE_CONCURRENCY, async (id) => {
        const snap = await this.opts.measure(id).catch((err: unknown) => {
          this.opts.logger.warn(
            { tenantId: id, err: (err as Error).message },
            "usage snapshot failed",
          );
          return null;
        });
        if (!snap) return;
        this.measuredAt.set(id, now);
        ops.push(snapshotOp(id, day, snap));
        measured += 1;
      });
    }
    if (ops.length === 0) return { tenants: 0, calls: 0, snapshots: 0 };
    try {
      await this.control.UsageDaily.bulkWrite(ops, { ordered: false });
    } catch (err) {
      // An unordered bulk applies every op it can: only the call counts of the ops the server
      // refused go back for the next flush (all of them when no per-op report came back).
      const failed = failedIndexes(err);
      const back = new Map<string, Map<string, number>>();
      let i = 0;
      for (const [tenantId, days] of taken)
        for (const [day, n] of days) {
          if (failed === null || failed.has(i)) addCount(back, tenantId, day, n);
          i += 1;
        }
      for (const [tenantId, days] of back)
        for (const [day, n] of days) addCount(this.pending, tenantId, day, n);
      throw err;
    }
    return { tenants: tenantDays, calls, snapshots: measured };
  }
}

function addCount(
  into: Map<string, Map<string, number>>,
  tenantId: string,
  day: string,
  n: number,
) {
  let days = into.get(tenantId);
  if (!days) {
    days = new Map();
    into.set(tenantId, days);
  }
  days.set(day, (days.get(day) ?? 0) + n);
}

/** The op indexes a bulk write error names, or null when it names none (the whole bulk failed). */
function failedIndexes(err: unknown): Set<number> | null {
  const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
  if (!writeErrors) return null;
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  return new Set(list.map((e) => (e as { index: number }).index));
}

function snapshotOp(
  tenantId: string,
  day: string,
  snap: UsageSnapshot,
): AnyBulkWriteOperation<UsageDailyDoc> {
  return {
    updateOne: {
      filter: { tenantId: new Types.ObjectId(tenantId), day },
      update: {
        $set: { seats: snap.seats, storageBytes: snap.storageBytes, documents: snap.documents },
        $setOnInsert: { apiCalls: 0 },
      },
      upsert: true,
    },
  };
}

function toUsageDay(day: string, doc: UsageDailyDoc | undefined): UsageDay {
  return {
    day,
    apiCalls: doc?.apiCalls ?? 0,
    seats: doc?.seats ?? null,
    storageBytes: doc?.storageBytes ?? null,
    documents: { ...(doc?.documents ?? {}) },
  };
}

function assertDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_USAGE_DAYS)
    throw new InvalidInput(`days must be a whole number from 1 to ${MAX_USAGE_DAYS}`, ["days"]);
}
