// Background jobs on agenda (MongoDB-backed, docs/toolchain.md says why). Jobs live in the control
// database's `jobs` collection; a job document carries a tenant id and small ids/flags only, never
// tenant data or a secret. Every tenant job runs inside withTenant of its tenant: while the tenant
// is suspended or deleted (or busy, or unreachable) the job is rescheduled to wait, never run
// without the tenant's scope. agenda's lock (findOneAndUpdate on lockedAt) makes each job run on
// exactly one instance, and a job whose instance died is taken over once its lock lifetime lapses.
//
// Fairness between tenants: agenda picks the runnable job of a kind with the highest `priority`
// (the runner sorts by priority, then nextRunAt). A tenant's k-th queued job gets priority
// -(k + the tenant's backlog), so the runners take every tenant's first job, then every tenant's
// second, and so on: a tenant with 10 queued jobs is served alongside another's 1,000, not after.
import { randomUUID } from "node:crypto";

import { MongoBackend } from "@agendajs/mongo-backend";
import { Agenda, InMemoryNotificationChannel } from "agenda";
import type { Job } from "agenda";
import type { Collection, Db } from "mongodb";
import { ObjectId } from "mongodb";

import type { ResolvedConfig } from "../config";
import {
  InvalidInput,
  ProvisioningInProgress,
  StorageReadOnly,
  TenantBusy,
  TenantDeleted,
  TenantRateLimited,
  TenantSuspended,
  TenantUnavailable,
} from "../errors";
import type { TenantScope } from "../tenancy-runtime";

/** The control collection agenda keeps every job in. */
const JOBS_COLLECTION = "jobs";

/** What a tenant job's handler gets: the tenant's scope (db, models) and the job's small data. */
export interface TenantJobContext<M = unknown> {
  scope: TenantScope<M>;
  tenantId: string;
  jobId: string;
  data: Record<string, JobValue>;
}

/** Job data is ids, flags and counts: tenant data and secrets stay in the tenant's own database. */
export type JobValue = string | number | boolean | null;

export interface TenantJobOptions {
  /** The handler writes tenant data: waits while the tenant is over its storage limit. */
  write?: boolean;
}

/** A job document as the runner reads it back (status pages, tests). */
export interface StoredJob {
  id: string;
  name: string;
  tenantId: string | null;
  priority: number;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  lastFinishedAt: Date | null;
  failReason: string | null;
  lockedAt: Date | null;
}

interface JobDoc {
  _id: ObjectId;
  name: string;
  type: string;
  priority: number;
  nextRunAt: Date | null;
  data: Record<string, JobValue> & { tenantId?: string };
  lockedAt?: Date | null;
  lastRunAt?: Date | null;
  lastFinishedAt?: Date | null;
  failReason?: string | null;
  repeatInterval?: unknown;
}

export interface SystemJob {
  name: string;
  /** Repeat every this many ms (agenda `every`); 0 = defined but never scheduled. */
  everyMs: number;
  /**
   * How long a run's lock holds (default: jobs.lockLifetimeMs). An instance killed mid-run keeps
   * the job locked that long, so a job that must soon run again after a crash sets it short (and
   * must then be safe to run twice at once).
   */
  lockLifetimeMs?: number;
  run: (job: Job) => Promise<void>;
}

export interface JobRunnerDeps {
  db: Db;
  config: ResolvedConfig;
  withTenant: <T>(
    tenantId: string,
    fn: (scope: TenantScope) => Promise<T>,
    opts?: { write?: boolean },
  ) => Promise<T>;
  instanceId: string;
  /** The tenant's status now (null: no such tenant): a purged tenant's jobs fail, never wait. */
  statusOf: (tenantId: string) => Promise<string | null>;
}

/** Refusals that mean "not now" for a tenant job: it waits and tries again. */
function waitFor(err: unknown, config: ResolvedConfig): number | null {
  if (err instanceof TenantSuspended || err instanceof TenantDeleted)
    return config.jobs.tenantWaitMs;
  if (err instanceof ProvisioningInProgress || err instanceof StorageReadOnly)
    return config.jobs.tenantWaitMs;
  if (err instanceof TenantBusy || err instanceof TenantRateLimited) return 1000;
  if (err instanceof TenantUnavailable) return 5000;
  return null;
}

const MAX_DATA_BYTES = 1024;

export class JobRunner {
  private agenda: Agenda | null = null;
  private channel: InMemoryNotificationChannel | null = null;
  private readonly tenantJobs = new Map<
    string,
    { run: (ctx: TenantJobContext) => Promise<void>; opts: TenantJobOptions }
  >();
  private readonly systemJobs = new Map<string, SystemJob>();
  private readonly col: Collection<JobDoc>;
  private indexes: Promise<void> | null = null;
  private runningJobs = 0;
  private idleWaiters: (() => void)[] = [];
  private stopping = false;

  constructor(private readonly deps: JobRunnerDeps) {
    this.col = deps.db.collection<JobDoc>(JOBS_COLLECTION);
  }

  /** Whether this instance is processing jobs now. */
  get running(): boolean {
    return this.agenda !== null && !this.stopping;
  }

  /** Set while stop() waits: long jobs check it between steps and reschedule themselves. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** A kind of tenant job; define every kind before start() (each instance defines the same). */
  defineTenantJob<M = unknown>(
    name: string,
    run: (ctx: TenantJobContext<M>) => Promise<void>,
    opts: TenantJobOptions = {},
  ): void {
    assertJobName(name);
    if (this.tenantJobs.has(name) || this.systemJobs.has(name))
      throw new InvalidInput(`Job "${name}" is already defined`);
    this.tenantJobs.set(name, { run: run as (ctx: TenantJobContext) => Promise<void>, opts });
    this.defineOnAgenda(name);
  }

  /** A platform job (no tenant scope), optionally repeating; tenancy defines its own. */
  defineSystemJob(job: SystemJob): void {
    if (this.tenantJobs.has(job.name) || this.systemJobs.has(job.name))
      throw new InvalidInput(`Job "${job.name}" is already defined`);
    this.systemJobs.set(job.name, job);
    this.defineOnAgenda(job.name);
  }

  /** Queues one job for the tenant; returns its id. Works whether or not this instance runs jobs. */
  async enqueue(tenantId: string, name: string, data: Record<string, JobValue> = {}) {
    const [id] = await this.enqueueMany(tenantId, name, [data]);
    return id as string;
  }

  /** Queues several jobs for one tenant in one write, in order, behind the tenant's backlog. */
  async enqueueMany(
    tenantId: string,
    name: string,
    items: readonly Record<string, JobValue>[],
  ): Promise<string[]> {
    if (!this.tenantJobs.has(name)) throw new InvalidInput(`No tenant job named "${name}"`);
    if (!ObjectId.isValid(tenantId)) throw new InvalidInput("tenantId must be a tenant id");
    for (const data of items) assertJobData(data);
    if (items.length === 0) return [];
    await this.ensureIndexes();
    // The tenant's deepest queued job: new ones go behind it (FIFO within a tenant).
    const last = await this.col
      .find({ name, "data.tenantId": tenantId, nextRunAt: { $ne: null } })
      .sort({ priority: 1 })
      .limit(1)
      .project<{ priority: number }>({ priority: 1 })
      .next();
    const base = Math.min(last?.priority ?? 0, 0);
    const now = new Date();
    // The fields agenda's own save writes for a new "normal" job (MongoJobRepository.saveJob).
    const docs: JobDoc[] = items.map((data, i) => ({
      _id: new ObjectId(),
      name,
      type: "normal",
      priority: base - 1 - i,
      nextRunAt: now,
      data: { ...data, tenantId },
      lockedAt: null,
      lastRunAt: null,
      lastFinishedAt: null,
      failReason: null,
    }));
    await this.col.insertMany(docs);
    this.nudge(name);
    return docs.map((d) => d._id.toHexString());
  }

  /** Queues a system job to run now, with small data (migrateAll's run id). */
  async runSystemJob(name: string, data: Record<string, JobValue> = {}): Promise<string> {
    if (!this.systemJobs.has(name)) throw new InvalidInput(`No system job named "${name}"`);
    assertJobData(data);
    await this.ensureIndexes();
    const doc: JobDoc = {
      _id: new ObjectId(),
      name,
      type: "normal",
      priority: 0,
      nextRunAt: new Date(),
      data,
      lockedAt: null,
    };
    await this.col.insertOne(doc);
    this.nudge(name);
    return doc._id.toHexString();
  }

  /** Stored jobs, newest first (by tenant and/or name): for status views and tests. */
  async list(filter: { tenantId?: string; name?: string; limit?: number } = {}) {
    const q: Record<string, unknown> = {};
    if (filter.tenantId) q["data.tenantId"] = filter.tenantId;
    if (filter.name) q.name = filter.name;
    const docs = await this.col
      .find(q)
      .sort({ _id: -1 })
      .limit(Math.min(filter.limit ?? 100, 1000))
      .toArray();
    return docs.map(toStoredJob);
  }

  async get(id: string): Promise<StoredJob | null> {
    if (!ObjectId.isValid(id)) return null;
    const doc = await this.col.findOne({ _id: new ObjectId(id) });
    return doc ? toStoredJob(doc) : null;
  }

  /** Starts processing on this instance and schedules the repeating system jobs (idempotent). */
  async start(): Promise<void> {
    if (this.agenda) return;
    const { jobs } = this.deps.config;
    this.stopping = false;
    this.channel = new InMemoryNotificationChannel();
    const agenda = new Agenda({
      name: this.deps.instanceId,
      backend: new MongoBackend({
        mongo: this.deps.db,
        collection: JOBS_COLLECTION,
        // Priority first: the fair per-tenant order above; nextRunAt breaks ties.
        sort: { priority: "desc", nextRunAt: "asc" },
      }),
      // Wakes this instance when it queues a job or finishes one; others see it at their next poll.
      notificationChannel: this.channel,
      processEvery: jobs.pollMs,
      maxConcurrency: jobs.concurrency,
      defaultLockLifetime: jobs.lockLifetimeMs,
    });
    agenda.on("error", (err: unknown) =>
      this.deps.config.logger.warn({ err: (err as Error).message }, "job runner error"),
    );
    agenda.on("start", () => this.runningJobs++);
    agenda.on("complete", (job: Job) => {
      this.runningJobs--;
      if (this.runningJobs === 0) for (const w of this.idleWaiters.splice(0)) w();
      // agenda refills only on its poll; take the next queued job of this kind now.
      this.nudge(job.attrs.name);
    });
    this.agenda = agenda;
    for (const name of [...this.tenantJobs.keys(), ...this.systemJobs.keys()])
      this.defineOnAgenda(name);
    await this.ensureIndexes();
    await agenda.start();
    for (const job of this.systemJobs.values()) {
      if (job.everyMs <= 0) continue;
      // every() rewrites the whole schedule (nextRunAt, lock): only when it is missing or changed,
      // so restarting instances neither postpone the next run nor clear a running one's lock.
      const existing = await this.col.findOne({ name: job.name, type: "single" });
      if (existing?.repeatInterval === job.everyMs) continue;
      await agenda.every(job.everyMs, job.name, {}, { skipImmediate: true });
    }
  }

  /**
   * Stops taking jobs (queued ones it had locked go back at once), waits up to timeoutMs for the
   * running ones; a job still running after that is taken over elsewhere when its lock lapses.
   */
  async stop(timeoutMs = 10_000): Promise<{ drained: boolean }> {
    const agenda = this.agenda;
    if (!agenda) return { drained: true };
    this.stopping = true;
    await agenda
      .stop(false)
      .catch((err: unknown) =>
        this.deps.config.logger.warn({ err: (err as Error).message }, "job runner stop failed"),
      );
    const drained =
      this.runningJobs <= 0 ||
      (await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      }));
    this.agenda = null;
    this.channel = null;
    this.stopping = false;
    return { drained };
  }

  private defineOnAgenda(name: string): void {
    const agenda = this.agenda;
    if (!agenda || agenda.definitions[name]) return;
    const { concurrency, lockLifetimeMs } = this.deps.config.jobs;
    // lockLimit = concurrency: an instance locks no more than it can run, so the rest stay
    // available to the other instances and in the fair order above.
    const common = { concurrency, lockLimit: concurrency, lockLifetime: lockLifetimeMs };
    const tenantJob = this.tenantJobs.get(name);
    if (tenantJob) {
      agenda.define(name, (job: Job) => this.runTenantJob(job, tenantJob), {
        ...common,
        removeOnComplete: true,
      });
      return;
    }
    const system = this.systemJobs.get(name);
    if (system)
      agenda.define(name, (job: Job) => system.run(job), {
        ...common,
        concurrency: 1,
        lockLifetime: system.lockLifetimeMs ?? lockLifetimeMs,
      });
  }

  private async runTenantJob(
    job: Job,
    def: { run: (ctx: TenantJobContext) => Promise<void>; opts: TenantJobOptions },
  ): Promise<void> {
    const { tenantId, ...data } = (job.attrs.data ?? {}) as Record<string, JobValue>;
    if (typeof tenantId !== "string") throw new Error("tenant job without a tenantId");
    try {
      await this.deps.withTenant(
        tenantId,
        (scope) => def.run({ scope, tenantId, jobId: String(job.attrs._id), data }),
        { write: def.opts.write ?? false },
      );
    } catch (err) {
      const waitMs = waitFor(err, this.deps.config);
      if (waitMs === null) throw err;
      if (err instanceof TenantDeleted) {
        const status = await this.deps.statusOf(tenantId);
        if (status === null || status === "purged")
          throw new Error("The tenant was purged: its job is dropped", { cause: err });
      }
      // Fail closed: not run, not run elsewhere; it waits its turn (agenda saves nextRunAt).
      job.schedule(new Date(Date.now() + waitMs));
      job.attrs.failReason = `waiting: ${(err as Error).message}`;
    }
  }

  private nudge(name: string): void {
    const channel = this.channel;
    if (!channel || channel.state !== "connected") return;
    channel
      .publish({
        jobId: randomUUID() as never,
        jobName: name,
        nextRunAt: new Date(),
        priority: 0,
        timestamp: new Date(),
      })
      .catch(() => undefined);
  }

  private ensureIndexes(): Promise<void> {
    this.indexes ??= this.col
      .createIndex({ name: 1, "data.tenantId": 1, priority: 1 }, { name: "tenantBacklog" })
      .then(() => undefined)
      .catch((err: unknown) => {
        this.indexes = null;
        throw err;
      });
    return this.indexes;
  }
}

function toStoredJob(d: JobDoc): StoredJob {
  return {
    id: d._id.toHexString(),
    name: d.name,
    tenantId: typeof d.data?.tenantId === "string" ? d.data.tenantId : null,
    priority: d.priority,
    nextRunAt: d.nextRunAt ?? null,
    lastRunAt: d.lastRunAt ?? null,
    lastFinishedAt: d.lastFinishedAt ?? null,
    failReason: d.failReason ?? null,
    lockedAt: d.lockedAt ?? null,
  };
}

function assertJobName(name: string): void {
  if (!/^[a-z][a-zA-Z0-9.:_-]{0,79}$/.test(name))
    throw new InvalidInput(`Job name "${name}" must be 1-80 letters, digits, . : _ or -`);
}

function assertJobData(data: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(data)) {
    if (k === "tenantId") throw new InvalidInput("Job data may not set tenantId");
    if (v !== null && !["string", "number", "boolean"].includes(typeof v))
      throw new InvalidInput(`Job data "${k}" must be a string, number, boolean or null`);
  }
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES)
    throw new InvalidInput(
      `Job data is over ${MAX_DATA_BYTES} bytes: store it elsewhere, pass ids`,
    );
}
