// Versioned tenant migrations. The ledger and its lock live in the tenant's own `_meta`
// collection; the control record's schemaVersion mirrors it so migrateAll can find laggards
// with one indexed query. A migration may run twice (crash between its work and the ledger
// write), so each must be idempotent.
import type { Connection, Model } from "mongoose";

import { MigrationLocked } from "./errors";
import type { TenantRecord } from "./tenant-registry";
import type { MetaDoc, TenantModels } from "./tenant-models";

export interface MigrationContext {
  conn: Connection;
  models: TenantModels;
  tenant: TenantRecord;
}

export interface TenantMigration {
  version: number;
  name: string;
  up(ctx: MigrationContext): Promise<void>;
}

const LEDGER_ID = "schema";

async function ensureCollection(model: Model<never>): Promise<void> {
  await model.createCollection().catch((err: unknown) => {
    if ((err as { code?: number }).code !== 48) throw err; // 48 NamespaceExists
  });
  await model.createIndexes();
}

export const BUILT_IN_MIGRATIONS: TenantMigration[] = [
  {
    version: 1,
    name: "base-collections-and-indexes",
    async up({ models }) {
      for (const model of Object.values(models) as Model<never>[]) await ensureCollection(model);
    },
  },
  {
    version: 2,
    name: "default-settings",
    async up({ models, tenant }) {
      await models.Setting.updateOne(
        { _id: "tenant" },
        { $setOnInsert: { displayName: tenant.name, preferences: {} } },
        { upsert: true },
      );
    },
  },
  {
    version: 3,
    name: "invites-collection",
    async up({ models }) {
      await ensureCollection(models.Invite as unknown as Model<never>);
    },
  },
];

export function resolveMigrations(extra: TenantMigration[]): TenantMigration[] {
  const all = [...BUILT_IN_MIGRATIONS, ...extra];
  for (let i = 1; i < all.length; i++) {
    const prev = all[i - 1];
    const cur = all[i];
    if (prev && cur && cur.version <= prev.version) {
      throw new Error(
        `Migration versions must increase: ${cur.name} (${cur.version}) after ${prev.name} (${prev.version})`,
      );
    }
  }
  return all;
}

export function latestVersion(migrations: TenantMigration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: string[];
}

/**
 * Brings one tenant database up to the latest version under the `_meta` lock.
 * The lock expires after lockMs so a crashed migrator does not block the tenant forever.
 */
export async function migrateTenantDatabase(
  ctx: MigrationContext,
  migrations: TenantMigration[],
  opts: { owner: string; lockMs: number },
): Promise<MigrateResult> {
  const Meta = ctx.models.Meta;
  // The collection may not exist yet on a brand-new database; creating it is idempotent.
  await Meta.createCollection().catch((err: unknown) => {
    if ((err as { code?: number }).code !== 48) throw err;
  });
  const now = new Date();
  let ledger: MetaDoc | null;
  try {
    ledger = await Meta.findOneAndUpdate(
      {
        _id: LEDGER_ID,
        $or: [{ lock: null }, { "lock.until": { $lt: now } }, { "lock.owner": opts.owner }],
      },
      {
        $set: { lock: { owner: opts.owner, until: new Date(now.getTime() + opts.lockMs) } },
        $setOnInsert: { version: 0, applied: [] },
      },
      { upsert: true, returnDocument: "after" },
    ).lean<MetaDoc>();
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new MigrationLocked(ctx.tenant.id);
    throw err;
  }
  if (!ledger) throw new MigrationLocked(ctx.tenant.id);

  const from = ledger.version ?? 0;
  const applied: string[] = [];
  let version = from;
  try {
    for (const migration of migrations) {
      if (migration.version <= version) continue;
      await migration.up(ctx);
      await Meta.updateOne(
        { _id: LEDGER_ID, "lock.owner": opts.owner },
        {
          $set: { version: migration.version, "lock.until": new Date(Date.now() + opts.lockMs) },
          $push: { applied: { version: migration.version, name: migration.name, at: new Date() } },
        },
      );
      version = migration.version;
      applied.push(migration.name);
    }
  } finally {
    await Meta.updateOne(
      { _id: LEDGER_ID, "lock.owner": opts.owner },
      { $set: { lock: null } },
    ).catch(() => undefined);
  }
  return { from, to: version, applied };
}
