// Scenario 6's migrateAll, in its own process so the bench can stop it at its time cap (migrateAll
// is resumable: a stopped run leaves every tenant either migrated or untouched). Prints one JSON
// line per progress event and a final report line.
import { openTenancy } from "../fleet";
import { ARCHIVED_FLAG_MIGRATION } from "../archived-flag-migration";

const env = process.env;
const tenancy = await openTenancy(
  {
    mongoUri: env.BENCH_MONGO_URI ?? "",
    controlDbName: env.BENCH_CONTROL_DB ?? "",
    encryptionKey: env.BENCH_ENCRYPTION_KEY ?? "",
    jwtSecret: "unused-here-unused-here-unused-here",
    notesPerTenant: 0,
  },
  [ARCHIVED_FLAG_MIGRATION],
);
process.stdout.write(`READY ${JSON.stringify({ pid: process.pid })}\n`);
const t0 = performance.now();
const report = await tenancy.lifecycle.migrateAll({
  concurrency: Number(env.BENCH_MIGRATE_CONCURRENCY ?? 8),
  onProgress: (p) =>
    process.stdout.write(`PROGRESS ${JSON.stringify({ ...p, ms: performance.now() - t0 })}\n`),
});
process.stdout.write(`DONE ${JSON.stringify({ ...report, ms: performance.now() - t0 })}\n`);
await tenancy.shutdown({ timeoutMs: 2000 });
process.exit(0);
