// Versioned tenant migrations. The ledger and its lock live in the tenant's own `_meta`
// collection; the control record's schemaVersion mirrors it so migrateAll can find laggards
// with one indexed query. A migration may run twice (crash between its work and the ledger
// write), so each must be idempotent. Each tenant module keeps a ledger of its own in `_meta`
// (`module:<name>`), so module versions never compete with tenancy's; the schemaVersion that
// migrateAll compares is the sum of every ledger's version.
import type { Connection, Model } from "mongoose";

import { ensureCollection } from "./collection-setup";
import { MigrationLocked } from "./errors";
import type { TenantRecord } from "./tenant-registry";
import type { MetaDoc, TenantModels } from "./tenant-models";
import { tenantSchemas } from "./tenant-models";

/** `M`: the models a module adds (a module's migrations see its own models typed). */
export interface MigrationContext<M = unknown> {
  conn: Connection;
  models: TenantModels & M;
  tenant: TenantRecord;
}

export interface TenantMigration<M = unknown> {
  version: number;
  name: string;
  up(ctx: MigrationContext<M>): Promise<void>;
}

/** Tenancy's migrations (built in + config.migrations) and each module's, on their own ledgers. */
export interface MigrationPlan {
  core: TenantMigration[];
  modules: { name: string; migrations: TenantMigration[] }[];
}

const LEDGER_ID = "schema";
const moduleLedgerId = (name: string) => `module:${name}`;

export const BUILT_IN_MIGRATIONS: TenantMigration[] = [
  {
    version: 1,
    name: "base-collections-and-indexes",
    async up({ models }) {
      // Tenancy's own collections only: a module's collections come from the module's migrations.
      for (const name of Object.keys(tenantSchemas) as (keyof TenantModels)[])
        await ensureCollection(models[name] as unknown as Model<never>);
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
  {
    version: 4,
    name: "password-resets-collection",
    async up({ models }) {
      await ensureCollection(models.PasswordReset as unknown as Model<never>);
    },
  },
  {
    version: 5,
    name: "invites-kept-after-expiry",
    async up({ models }) {
      // Invites were dropped the moment they expired (a TTL on expiresAt), so the accept page could
      // only say "invalid"; now they stay a day longer (a TTL on purgeAt) to say "expired".
      const invites = models.Invite.collection;
      const indexes = await invites.listIndexes().toArray();
      if (indexes.some((i) => i.name === "expiresAt_1")) await invites.dropIndex("expiresAt_1");
      // Older invites have no purgeAt: the longest an invite lives, plus the day kept after it.
      await invites.updateMany(
        { purgeAt: { $exists: false } },
        { $set: { purgeAt: new Date(Date.now() + 8 * 24 * 3600_000), revokedAt: null } },
      );
      await ensureCollection(models.Invite as unknown as Model<never>);
    },
  },
];

function assertIncreasing(owner: string, migrations: TenantMigration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    const prev = migrations[i - 1];
    const cur = migrations[i];
    if (prev && cur && cur.version <= prev.version) {
      throw new Error(
        `Migration versions must increase (${owner}): ${cur.name} (${cur.version}) after ${prev.name} (${prev.version})`,
      );
    }
  }
  if (migrations[0] && migrations[0].version < 1)
    throw new Error(`Migration versions start at 1 (${owner}): ${migrations[0].name}`);
}

export function resolveMigrations(
  extra: TenantMigration[],
  modules: readonly { name: string; migrations: TenantMigration[] }[] = [],
): MigrationPlan {
  const core = [...BUILT_IN_MIGRATIONS, ...extra];
  assertIncreasing("tenancy", core);
  for (const m of modules) assertIncreasing(`module "${m.name}"`, m.migrations);
  return { core, modules: modules.map((m) => ({ name: m.name, migrations: m.migrations })) };
}

const lastVersion = (migrations: TenantMigration[]) => migrations.at(-1)?.version ?? 0;

/** The schemaVersion of a tenant that has every migration of the plan: the sum over ledgers. */
export function latestVersion(plan: MigrationPlan): number {
  return plan.modules.reduce((sum, m) => sum + lastVersion(m.migrations), lastVersion(plan.core));
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
  plan: MigrationPlan,
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

  let from = ledger.version ?? 0;
  let to: number;
  const applied: string[] = [];
  try {
    let version = from;
    for (const migration of plan.core) {
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
    to = version;
    // Still under the "schema" lock, which covers the module ledgers too.
    for (const module of plan.modules) {
      const id = moduleLedgerId(module.name);
      let moduleVersion =
        (await Meta.findById(id).select({ version: 1 }).lean<Pick<MetaDoc, "version">>())
          ?.version ?? 0;
      from += moduleVersion;
      for (const migration of module.migrations) {
        if (migration.version <= moduleVersion) continue;
        await migration.up(ctx);
        // The driver's own upsert: no schema defaults to collide with the $push.
        await Meta.collection.updateOne(
          { _id: id as never },
          {
            $set: { version: migration.version, lock: null },
            $push: {
              applied: { version: migration.version, name: migration.name, at: new Date() },
            } as never,
          },
          { upsert: true },
        );
        await Meta.updateOne(
          { _id: LEDGER_ID, "lock.owner": opts.owner },
          { $set: { "lock.until": new Date(Date.now() + opts.lockMs) } },
        );
        moduleVersion = migration.version;
        applied.push(`${module.name}/${migration.name}`);
      }
      to += moduleVersion;
    }
  } finally {
    await Meta.updateOne(
      { _id: LEDGER_ID, "lock.owner": opts.owner },
      { $set: { lock: null } },
    ).catch(() => undefined);
  }
  return { from, to, applied };
}
