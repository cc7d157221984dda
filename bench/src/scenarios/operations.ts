// Scenario 6: provisioning throughput (measured while the fleet grew for scenario 2) and migrateAll
// over every tenant with a migration that adds an index and back-fills a field, with its progress.
import type { MigrateAllReport, MigrateProgress } from "@tenantry/tenancy";
import { MongoClient } from "mongodb";

import type { BenchContext, ScenarioResult } from "../bench-context";
import { int } from "../bench-context";
import { ARCHIVED_FLAG_MIGRATION } from "../archived-flag-migration";
import { startChild } from "../processes/child-process";

export async function operationsScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const total = ctx.fleet.tenants.length;
  const scaleTarget = ctx.sizes.scale.steps.at(-1) ?? 0;
  const log: string[] = [];
  const cap = ctx.sizes.ops.migrateCapMs;
  ctx.log(`operations: migrateAll over ${total} tenants (stopped at ${cap / 1000} s if not done)`);
  const child = await startChild<{ pid: number }>("migrate-process.ts", {
    BENCH_MONGO_URI: ctx.mongo.uri,
    BENCH_CONTROL_DB: ctx.secrets.controlDbName,
    BENCH_ENCRYPTION_KEY: ctx.secrets.encryptionKey,
    BENCH_MIGRATE_CONCURRENCY: String(ctx.sizes.ops.migrateConcurrency),
  });
  let report: (MigrateAllReport & { ms: number }) | null = null;
  let last: (MigrateProgress & { ms: number }) | null = null;
  let failedSeen = 0;
  child.onLine((line) => {
    if (line.startsWith("PROGRESS ")) {
      const p = JSON.parse(line.slice(9)) as MigrateProgress & { ms: number };
      last = p;
      if (!p.ok) failedSeen++;
      const step = Math.max(1, Math.floor(p.total / 10));
      if (p.done % step === 0 || p.done === p.total || !p.ok) {
        const text = `[${(p.ms / 1000).toFixed(1)} s] ${p.done}/${p.total} ${p.ok ? "ok" : `FAILED ${p.slug}: ${p.error ?? ""}`}`;
        log.push(text);
        ctx.log(`migrateAll ${text}`);
      }
    } else if (line.startsWith("DONE ")) {
      report = JSON.parse(line.slice(5)) as MigrateAllReport & { ms: number };
    }
  });
  const timer = new Promise<"cap">((r) => setTimeout(() => r("cap"), cap).unref());
  const outcome = await Promise.race([child.exited.then(() => "exited" as const), timer]);
  if (outcome === "cap") {
    log.push(`[${(cap / 1000).toFixed(1)} s] stopped by the bench's time cap`);
    await child.stop();
  }
  const lastSeen = last as (MigrateProgress & { ms: number }) | null;
  const done = (report as (MigrateAllReport & { ms: number }) | null) ?? {
    targetVersion: ARCHIVED_FLAG_MIGRATION.version,
    total: lastSeen?.total ?? total,
    migrated: (lastSeen?.done ?? 0) - failedSeen,
    failed: [],
    ms: cap,
  };
  const elapsedMs = done.ms;
  const finished = report !== null;
  // Check the work on the first and last tenant: the index exists and no note lacks the flag.
  const client = await new MongoClient(ctx.mongo.uri).connect();
  const checks: string[] = [];
  try {
    for (const t of [ctx.fleet.tenants[0], ctx.fleet.tenants.at(-1)]) {
      if (!t) continue;
      const notes = client.db(t.dbName).collection("notes");
      const idx = (await notes.indexes()).some((i) => i.name === "archived_1__id_-1");
      const missing = await notes.countDocuments({ archived: { $exists: false } });
      checks.push(
        `${t.slug}: index ${idx ? "present" : "MISSING"}, notes without the flag: ${missing}`,
      );
      if (finished && (!idx || missing))
        throw new Error(`migration did not apply on ${t.slug}: ${checks.at(-1)}`);
    }
  } finally {
    await client.close();
  }
  const prov = ctx.provisioning;
  const provAdded = prov.reduce((n, p) => n + p.added, 0);
  const provMs = prov.reduce((n, p) => n + p.elapsedMs, 0);
  const migrateOk =
    finished && elapsedMs <= 120_000 && done.failed.length === 0 && done.migrated === total;
  const rate = (done.migrated / elapsedMs) * 1000;
  const fullCount = total >= scaleTarget;
  return {
    id: 6,
    slug: "operations",
    title: `Operations: provisioning throughput and migrateAll over ${int(total)} tenants`,
    goal: `migrateAll over ${int(scaleTarget)} tenants (add an index + back-fill a field) ≤ 120 s; provisioning throughput reported`,
    verdict: migrateOk && fullCount ? "met" : migrateOk ? "partly met" : "not met",
    why:
      `migrateAll: ${int(done.migrated)}/${int(done.total)} tenants in ${(elapsedMs / 1000).toFixed(1)} s ` +
      `(${rate.toFixed(1)} tenants/s, concurrency ${ctx.sizes.ops.migrateConcurrency}), ${done.failed.length} failed` +
      (finished
        ? ". "
        : `; stopped at the bench's ${cap / 1000} s cap — at this rate ${int(scaleTarget)} tenants would take ${(scaleTarget / rate).toFixed(0)} s. `) +
      `Provisioning: ${int(provAdded)} tenants in ${(provMs / 1000).toFixed(1)} s = ${((provAdded / provMs) * 1000).toFixed(1)} tenants/s.` +
      (fullCount
        ? ""
        : ` Only ${int(total)} of ${int(scaleTarget)} tenants existed (see scenario 2), so the migration ran over fewer tenants than the goal names; ` +
          `at the measured ${rate.toFixed(1)} tenants/s, ${int(scaleTarget)} would take about ${(scaleTarget / rate).toFixed(0)} s — ${scaleTarget / rate <= 120 ? "inside" : "over"} the 120 s goal (a projection, not a measurement).`),
    closeGap:
      migrateOk && fullCount
        ? null
        : "Each tenant's migration is several sequential round trips (take the _meta lock, createIndex, updateMany, write the ledger, release the lock, update the control record) to a single-threaded database on a loaded 2-core machine; " +
          "higher migrateAll concurrency only helps while the database has idle CPU. Folding the ledger write and lock release into one update, skipping the lock round trip when the ledger is already current, or a real mongod on its own cores would close it. " +
          "Provisioning cost is likewise per-database DDL (collections and indexes one command at a time).",
    tables: [
      {
        caption:
          "Provisioning (through @tenantry/tenancy's lifecycle.provision, plus 3 notes and a session per tenant)",
        headers: ["fleet size after", "tenants added", "seconds", "tenants/s"],
        rows: prov.map((p) => [
          int(p.fleetSize),
          int(p.added),
          (p.elapsedMs / 1000).toFixed(1),
          ((p.added / p.elapsedMs) * 1000).toFixed(1),
        ]),
      },
      {
        caption: "migrateAll",
        headers: ["tenants behind", "migrated", "failed", "seconds", "tenants/s", "goal"],
        rows: [
          [
            int(done.total),
            int(done.migrated),
            done.failed.length,
            `${(elapsedMs / 1000).toFixed(1)}${finished ? "" : " (capped)"}`,
            rate.toFixed(1),
            "≤ 120 s",
          ],
        ],
      },
    ],
    notes: [
      "Provisioning runs in the bench process through @tenantry/tenancy (not the admin API): record, database with its collections and indexes (built-in migrations), owner (argon2id at test-suite cost: 1 MiB, 1 pass), directory entry, activation.",
      `Migration: \`notes.createIndex({ archived: 1, _id: -1 })\` and \`updateMany({ archived: { $exists: false } }, { $set: { archived: false } })\`, run under the tenant's _meta lock by migrateAll. Checked after the run: ${checks.join("; ")}.`,
    ],
    log,
    chart: {
      title: "Scenario 6 — operations throughput",
      yLabel: "tenants / s",
      categories: [
        ...prov.map((p) => `provision to ${int(p.fleetSize)}`),
        `migrateAll ${int(done.migrated)}`,
      ],
      series: [
        {
          name: "tenants/s",
          values: [...prov.map((p) => (p.added / p.elapsedMs) * 1000), rate],
        },
      ],
      digits: 1,
    },
  };
}
