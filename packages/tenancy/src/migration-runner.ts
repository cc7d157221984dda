// migrate(id) and migrateAll: bounded concurrency, progress callbacks, resumable (each run picks
// only tenants whose schemaVersion is behind) and skip-on-failure (a failing tenant is reported
// and left behind; the others carry on).
import { fleetConcurrency, forEachBounded } from "./bounded-concurrency";
import type { TenantDoc } from "./control-models";
import { InvalidInput, TenantNotFound } from "./errors";
import type { MigrateResult } from "./migrations";
import { latestVersion, migrateTenantDatabase } from "./migrations";
import type { TenantRecord } from "./tenant-registry";
import type { TenancyRuntime } from "./tenancy-runtime";
import { withHandle } from "./tenancy-runtime";

/** Statuses whose databases are kept current (a deleted tenant may be restored). */
export const MIGRATABLE = ["active", "suspended", "deleted"] as const;

async function migrateOne(rt: TenancyRuntime, record: TenantRecord): Promise<MigrateResult> {
  const result = await withHandle(rt, record, (scope) =>
    migrateTenantDatabase(scope, rt.migrations, {
      owner: rt.instanceId,
      lockMs: rt.config.migrationLockMs,
    }),
  );
  await rt.control.Tenant.updateOne({ _id: record.id }, { $set: { schemaVersion: result.to } });
  // Only this instance's copy: a schema version bump does not change access, so no broadcast.
  rt.registry.invalidate(record.id);
  return result;
}

export async function migrate(rt: TenancyRuntime, id: string): Promise<MigrateResult> {
  const record = await rt.registry.get(id);
  if (!(MIGRATABLE as readonly string[]).includes(record.status)) {
    if (record.status === "purged") throw new TenantNotFound(id);
    throw new InvalidInput(`Cannot migrate a tenant that is ${record.status}`);
  }
  return migrateOne(rt, record);
}

export interface MigrateProgress {
  done: number;
  total: number;
  tenantId: string;
  slug: string;
  ok: boolean;
  error?: string;
}

export interface MigrateAllReport {
  targetVersion: number;
  total: number;
  migrated: number;
  failed: { tenantId: string; slug: string; error: string }[];
}

export async function migrateAll(
  rt: TenancyRuntime,
  opts: { concurrency?: number; onProgress?: (p: MigrateProgress) => void } = {},
): Promise<MigrateAllReport> {
  const concurrency = fleetConcurrency(opts.concurrency);
  const target = latestVersion(rt.migrations);
  const behind = await rt.control.Tenant.find({
    status: { $in: MIGRATABLE },
    schemaVersion: { $lt: target },
  })
    .select({ _id: 1, slug: 1 })
    .sort({ _id: 1 })
    .lean<Pick<TenantDoc, "_id" | "slug">[]>();
  const report: MigrateAllReport = {
    targetVersion: target,
    total: behind.length,
    migrated: 0,
    failed: [],
  };
  let done = 0;
  const notify = (p: MigrateProgress): void => {
    try {
      opts.onProgress?.(p);
    } catch (err) {
      rt.config.logger.warn({ err: (err as Error).message }, "migrateAll onProgress threw");
    }
  };
  await forEachBounded(behind, concurrency, async (item) => {
    const tenantId = item._id.toHexString();
    try {
      await migrate(rt, tenantId);
      report.migrated++;
      done++;
      notify({ done, total: behind.length, tenantId, slug: item.slug, ok: true });
    } catch (err) {
      const error = (err as Error).message;
      report.failed.push({ tenantId, slug: item.slug, error });
      done++;
      rt.config.logger.warn(
        { tenantId, slug: item.slug, err: error },
        "tenant migration failed; skipped",
      );
      notify({ done, total: behind.length, tenantId, slug: item.slug, ok: false, error });
    }
  });
  return report;
}
