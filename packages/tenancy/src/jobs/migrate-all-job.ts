// migrateAll as a job: its progress lives in control `jobRuns`, so every instance (and the admin
// app) reads the same numbers, and a run interrupted by a crash or a shutdown resumes on whichever
// instance takes the job next. It resumes by construction: only tenants still behind the latest
// schema version are picked (the ones migrated before the crash are not), and tenants that
// already failed in this run are not retried by it.
import { randomUUID } from "node:crypto";

import type { Job } from "agenda";
import type { Collection, Db } from "mongodb";

import { fleetConcurrency, forEachBounded } from "../bounded-concurrency";
import type { TenantDoc } from "../control-models";
import type { MigrateProgress } from "../migration-runner";
import { MIGRATABLE, migrate } from "../migration-runner";
import { latestVersion } from "../migrations";
import type { TenancyRuntime } from "../tenancy-runtime";
import type { JobRunner } from "./job-runner";

const MIGRATE_ALL_JOB = "tenancy.migrateAll";
const RUNS_COLLECTION = "jobRuns";
/** Only one migrateAll run is queued or running at a time (unique index on this key). */
const ACTIVE_KEY = "migrateAll";

export interface MigrateAllRun {
  id: string;
  status: "queued" | "running" | "finished" | "failed";
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Instance that last worked on it. */
  instance: string | null;
  concurrency: number;
  targetVersion: number | null;
  /** Tenants that were behind when the run started (null until it starts). */
  total: number | null;
  done: number;
  migrated: number;
  failed: { tenantId: string; slug: string; error: string }[];
  /** The last tenant finished, as MigrateProgress reports it. */
  last: MigrateProgress | null;
  /** Times the run was taken up again after an interruption. */
  resumes: number;
  error: string | null;
}

type RunDoc = Omit<MigrateAllRun, "id"> & { _id: string; activeKey?: string };

export class MigrateAllRuns {
  private readonly col: Collection<RunDoc>;
  private indexes: Promise<unknown> | null = null;

  constructor(
    db: Db,
    private readonly rt: TenancyRuntime,
    private readonly runner: JobRunner,
  ) {
    this.col = db.collection<RunDoc>(RUNS_COLLECTION);
    runner.defineSystemJob({ name: MIGRATE_ALL_JOB, everyMs: 0, run: (job) => this.work(job) });
  }

  /** Queues a run unless one is queued or running (then returns that one). */
  async start(
    opts: { concurrency?: number } = {},
  ): Promise<{ run: MigrateAllRun; alreadyRunning: boolean }> {
    await this.ensureIndexes();
    const doc: RunDoc = {
      _id: randomUUID(),
      activeKey: ACTIVE_KEY,
      status: "queued",
      queuedAt: new Date(),
      startedAt: null,
      finishedAt: null,
      instance: null,
      concurrency: fleetConcurrency(opts.concurrency),
      targetVersion: null,
      total: null,
      done: 0,
      migrated: 0,
      failed: [],
      last: null,
      resumes: 0,
      error: null,
    };
    try {
      await this.col.insertOne(doc);
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const active = await this.col.findOne({ activeKey: ACTIVE_KEY });
      if (active) return { run: toRun(active), alreadyRunning: true };
      return this.start(opts); // it finished between the insert and the read
    }
    await this.runner.runSystemJob(MIGRATE_ALL_JOB, { runId: doc._id });
    return { run: toRun(doc), alreadyRunning: false };
  }

  async get(id: string): Promise<MigrateAllRun | null> {
    const doc = await this.col.findOne({ _id: id });
    return doc ? toRun(doc) : null;
  }

  /** The most recent run (any status), for a status view opened after the run began. */
  async latest(): Promise<MigrateAllRun | null> {
    const [doc] = await this.col.find({}).sort({ queuedAt: -1 }).limit(1).toArray();
    return doc ? toRun(doc) : null;
  }

  private async work(job: Job): Promise<void> {
    const runId = (job.attrs.data as { runId?: unknown } | undefined)?.runId;
    if (typeof runId !== "string") return;
    const run = await this.col.findOne({ _id: runId });
    if (!run || run.status === "finished" || run.status === "failed") return;
    const { rt } = this;
    const target = latestVersion(rt.migrations);
    const failedIds = new Set(run.failed.map((f) => f.tenantId));
    const behind = (
      await rt.control.Tenant.find({
        status: { $in: MIGRATABLE },
        schemaVersion: { $lt: target },
      })
        .select({ _id: 1, slug: 1 })
        .sort({ _id: 1 })
        .lean<Pick<TenantDoc, "_id" | "slug">[]>()
    ).filter((t) => !failedIds.has(t._id.toHexString()));
    const resumed = run.status === "running";
    const total = run.total ?? behind.length;
    // After a crash the counts may lag what was really done: recount from what is left.
    const done = Math.max(run.done, total - behind.length);
    await this.col.updateOne(
      { _id: runId },
      {
        $set: {
          status: "running",
          startedAt: run.startedAt ?? new Date(),
          instance: rt.instanceId,
          targetVersion: target,
          total,
          done,
          migrated: done - run.failed.length,
        },
        ...(resumed ? { $inc: { resumes: 1 } } : {}),
      },
    );
    let interrupted = false;
    try {
      await forEachBounded(behind, run.concurrency, async (item) => {
        if (this.runner.isStopping) {
          interrupted = true;
          return;
        }
        const tenantId = item._id.toHexString();
        let error: string | null = null;
        try {
          await migrate(rt, tenantId);
        } catch (err) {
          error = (err as Error).message;
          rt.config.logger.warn(
            { tenantId, slug: item.slug, err: error },
            "tenant migration failed; skipped",
          );
        }
        const updated = await this.col.findOneAndUpdate(
          { _id: runId },
          {
            $inc: { done: 1, ...(error === null ? { migrated: 1 } : {}) },
            ...(error === null ? {} : { $push: { failed: { tenantId, slug: item.slug, error } } }),
          },
          { returnDocument: "after" },
        );
        const last: MigrateProgress = {
          done: updated?.done ?? 0,
          total,
          tenantId,
          slug: item.slug,
          ok: error === null,
          ...(error === null ? {} : { error }),
        };
        await this.col.updateOne({ _id: runId }, { $set: { last } });
        // Keeps agenda's lock: a long run is not taken for a dead one.
        await job.touch();
      });
    } catch (err) {
      // The run's own bookkeeping failed (the control database): say so and free the slot.
      await this.col
        .updateOne(
          { _id: runId },
          {
            $set: { status: "failed", finishedAt: new Date(), error: (err as Error).message },
            $unset: { activeKey: "" },
          },
        )
        .catch(() => undefined);
      throw err;
    }
    if (interrupted) {
      // Shutting down: queue it again at once, for the next instance to carry on.
      job.schedule(new Date());
      return;
    }
    await this.col.updateOne(
      { _id: runId },
      { $set: { status: "finished", finishedAt: new Date() }, $unset: { activeKey: "" } },
    );
  }

  private ensureIndexes(): Promise<unknown> {
    this.indexes ??= this.col
      .createIndex({ activeKey: 1 }, { unique: true, sparse: true, name: "oneActiveRun" })
      .catch((err: unknown) => {
        this.indexes = null;
        throw err;
      });
    return this.indexes;
  }
}

function toRun({ _id, activeKey: _active, ...rest }: RunDoc): MigrateAllRun {
  return { id: _id, ...rest };
}
