// Tenant administration. Lifecycle changes go through tenancy (which owns the state machine and
// its invariants); the api validates, audits and shapes the answers.
import { randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";

import { refuse } from "../../../api-errors";
import { passwordWeakness } from "../../../auth/password-policy";
import type { TenantDoc, TenantRecord } from "../../../tenancy-port";
import type { AdminContext } from "../../../trpc";
import { searchRegex } from "../../shared.schema";
import { adminActor, recordAdminAudit } from "../admin-audit";
import type {
  TCreateTenantInput,
  TExportTenantInput,
  TListTenantsInput,
  TMigrationJobInput,
  TPurgeTenantInput,
  TSuspendTenantInput,
  TTenantId,
} from "./tenants.schema";

type H<I> = { ctx: AdminContext; input: I };

function publicTenantRow(t: TenantDoc | TenantRecord) {
  const id = "id" in t ? t.id : t._id.toString();
  return {
    id,
    slug: t.slug,
    name: t.name,
    status: t.status,
    statusReason: t.statusReason ?? null,
    cluster: t.cluster,
    plan: t.plan,
    schemaVersion: t.schemaVersion,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

async function loadTenant(ctx: AdminContext, id: string): Promise<TenantDoc> {
  const doc = await ctx.services.tenancy.control.Tenant.findById(id).lean<TenantDoc>();
  if (!doc) throw refuse("NOT_FOUND", "TENANT_NOT_FOUND", "No such tenant");
  return doc;
}

export async function listTenantsHandler({ ctx, input }: H<TListTenantsInput>) {
  const filter: Record<string, unknown> = {};
  if (input.status) filter.status = input.status;
  if (input.search) {
    const re = searchRegex(input.search);
    filter.$or = [{ slug: re }, { name: re }];
  }
  const field = input.sort.replace(/^-/, "");
  const dir = input.sort.startsWith("-") ? -1 : 1;
  const { Tenant } = ctx.services.tenancy.control;
  const [rows, total] = await Promise.all([
    Tenant.find(filter)
      .sort({ [field]: dir, _id: dir })
      .skip((input.page - 1) * input.limit)
      .limit(input.limit)
      .lean<TenantDoc[]>(),
    Tenant.countDocuments(filter),
  ]);
  return {
    items: rows.map((t) => ({
      ...publicTenantRow(t),
      cached: ctx.services.tenancy.registry.isCached(t._id.toString()),
    })),
    total,
    page: input.page,
    pages: Math.max(1, Math.ceil(total / input.limit)),
  };
}

export async function createTenantHandler({ ctx, input }: H<TCreateTenantInput>) {
  const weakness = passwordWeakness(input.owner.password, input.owner.email);
  if (weakness) throw refuse("BAD_REQUEST", "WEAK_PASSWORD", `Owner password: ${weakness}`);
  const record = await ctx.services.tenancy.lifecycle.provision({
    slug: input.slug,
    name: input.name,
    owner: input.owner,
    ...(input.cluster ? { cluster: input.cluster } : {}),
    ...(input.plan ? { plan: input.plan } : {}),
  });
  await recordAdminAudit(ctx, "tenants.create", {
    tenantId: record.id,
    tenantSlug: record.slug,
    details: { ownerEmail: input.owner.email, cluster: record.cluster },
  });
  return publicTenantRow(record);
}

export async function getTenantHandler({ ctx, input }: H<TTenantId>) {
  const doc = await loadTenant(ctx, input.id);
  const { tenancy } = ctx.services;
  let stats: {
    users: number;
    notes: number;
    storageBytes: number | null;
    lastActivityAt: Date | null;
  } | null = null;
  // Admins see stats of suspended and soft-deleted tenants too (a read-only lease that bypasses the
  // status check); purged tenants have no database, provisioning ones no complete one.
  if (doc.status !== "purged" && doc.status !== "provisioning") {
    stats = await tenancy
      .withTenant(
        input.id,
        async (scope) => {
          const [users, modules, lastAudit, dbStats] = await Promise.all([
            scope.models.User.countDocuments({}),
            tenancy.moduleStats(scope),
            scope.models.Audit.findOne({}).sort({ at: -1 }).select({ at: 1 }).lean(),
            scope.conn.db?.stats().catch(() => null) ?? Promise.resolve(null),
          ]);
          const times = [lastAudit?.at, modules.lastActivityAt].filter(
            (d): d is Date => d instanceof Date,
          );
          const size = dbStats ? Number(dbStats.storageSize ?? dbStats.dataSize) : NaN;
          return {
            users,
            // The notes module's count (0 when an app runs without it), as the admin page shows it.
            notes: modules.counts.notes ?? 0,
            storageBytes: Number.isFinite(size) ? size : null,
            lastActivityAt: times.length
              ? new Date(Math.max(...times.map((d) => d.getTime())))
              : null,
          };
        },
        { allowInactive: true },
      )
      .catch(() => null);
  }
  const pool = tenancy.stats();
  return {
    ...publicTenantRow(doc),
    dbName: doc.dbName,
    stats,
    cached: tenancy.registry.isCached(input.id),
    // Leases this instance holds on the tenant's handle right now.
    leasedNow: pool.leasesByTenant[input.id] ?? 0,
  };
}

async function transition(
  ctx: AdminContext,
  id: string,
  action: string,
  run: (doc: TenantDoc) => Promise<unknown>,
  details: Record<string, unknown> = {},
) {
  const doc = await loadTenant(ctx, id);
  try {
    await run(doc);
  } finally {
    // Suspend/delete revoke sessions: this instance's cached auth checks of the tenant go at once.
    ctx.services.authChecks.invalidate(id);
  }
  await recordAdminAudit(ctx, action, { tenantId: id, tenantSlug: doc.slug, details });
  return publicTenantRow(await loadTenant(ctx, id));
}

export const suspendTenantHandler = ({ ctx, input }: H<TSuspendTenantInput>) =>
  transition(
    ctx,
    input.id,
    "tenants.suspend",
    () => ctx.services.tenancy.lifecycle.suspend(input.id, input.reason, adminActor(ctx)),
    {
      reason: input.reason,
    },
  );

export const resumeTenantHandler = ({ ctx, input }: H<TTenantId>) =>
  transition(ctx, input.id, "tenants.resume", () =>
    ctx.services.tenancy.lifecycle.resume(input.id, adminActor(ctx)),
  );

export const deleteTenantHandler = ({ ctx, input }: H<TTenantId>) =>
  transition(ctx, input.id, "tenants.delete", () =>
    ctx.services.tenancy.lifecycle.softDelete(input.id, adminActor(ctx)),
  );

export const restoreTenantHandler = ({ ctx, input }: H<TTenantId>) =>
  transition(ctx, input.id, "tenants.restore", () =>
    ctx.services.tenancy.lifecycle.restore(input.id, adminActor(ctx)),
  );

/** Moves a busy tenant to a connection pool of its own (same servers), so it cannot starve others. */
export const dedicatePoolHandler = ({ ctx, input }: H<TTenantId>) =>
  transition(ctx, input.id, "tenants.dedicatePool", () =>
    ctx.services.tenancy.lifecycle.dedicatePool(input.id, adminActor(ctx)),
  );

export const releasePoolHandler = ({ ctx, input }: H<TTenantId>) =>
  transition(ctx, input.id, "tenants.releasePool", () =>
    ctx.services.tenancy.lifecycle.releasePool(input.id, adminActor(ctx)),
  );

export const purgeTenantHandler = ({ ctx, input }: H<TPurgeTenantInput>) =>
  transition(ctx, input.id, "tenants.purge", async (doc) => {
    if (doc.slug !== input.confirmSlug) {
      throw refuse("BAD_REQUEST", "INVALID_INPUT", "confirmSlug does not match the tenant's slug");
    }
    await ctx.services.tenancy.lifecycle.purge(input.id, adminActor(ctx));
  });

export async function migrateTenantHandler({ ctx, input }: H<TTenantId>) {
  const doc = await loadTenant(ctx, input.id);
  const result = await ctx.services.tenancy.lifecycle.migrate(input.id);
  await recordAdminAudit(ctx, "tenants.migrate", { tenantId: input.id, tenantSlug: doc.slug });
  return {
    tenant: publicTenantRow(await loadTenant(ctx, input.id)),
    result: (result ?? null) as unknown,
  };
}

/** Starts migrating every tenant in the background; poll migrationStatus for progress. */
export async function migrateAllHandler({ ctx }: { ctx: AdminContext }) {
  const jobs = ctx.services.migrationJobs;
  const running = [...jobs.values()].find((j) => !j.finishedAt);
  if (running) return { jobId: running.id, alreadyRunning: true };
  const job = {
    id: randomUUID(),
    startedAt: new Date(),
    finishedAt: null as Date | null,
    progress: {},
    error: null as string | null,
  };
  jobs.set(job.id, job);
  await recordAdminAudit(ctx, "tenants.migrateAll", { details: { jobId: job.id } });
  void ctx.services.tenancy.lifecycle
    .migrateAll({ concurrency: 4, onProgress: (p) => (job.progress = { ...p }) })
    .then((summary) => {
      if (summary && typeof summary === "object") job.progress = { ...job.progress, ...summary };
    })
    .catch((err: unknown) => {
      job.error = err instanceof Error ? err.message : String(err);
      ctx.log.error({ err }, "migrateAll failed");
    })
    .finally(() => (job.finishedAt = new Date()));
  return { jobId: job.id, alreadyRunning: false };
}

export async function migrationStatusHandler({ ctx, input }: H<TMigrationJobInput>) {
  const job = ctx.services.migrationJobs.get(input.jobId);
  if (!job) throw refuse("NOT_FOUND", "NOT_FOUND", "No such migration job on this instance");
  return { ...job, done: job.finishedAt !== null };
}

/** Largest archive returned inline; bigger ones stay on the server (or use the CLI). */
const INLINE_EXPORT_MAX_BYTES = 32 * 1024 * 1024;

export async function exportTenantHandler({ ctx, input }: H<TExportTenantInput>) {
  const doc = await loadTenant(ctx, input.id);
  const folder = await ctx.services.exportFolder();
  const fileName = folder.newName(doc.slug);
  const file = folder.pathOf(fileName);
  await ctx.services.tenancy.lifecycle.exportTenant(input.id, file);
  const size = (await stat(file).catch(() => null))?.size ?? null;
  // The file name only: no answer (the audit log included) names a server path.
  await recordAdminAudit(ctx, "tenants.export", {
    tenantId: input.id,
    tenantSlug: doc.slug,
    details: { fileName, inline: input.inline },
  });
  let archiveBase64: string | null = null;
  if (input.inline) {
    try {
      if (size === null || size > INLINE_EXPORT_MAX_BYTES) {
        throw refuse(
          "PAYLOAD_TOO_LARGE",
          "INVALID_INPUT",
          "The archive is too large to download inline; use the admin app's download or the CLI.",
        );
      }
      archiveBase64 = (await readFile(file)).toString("base64");
    } finally {
      await folder.remove(fileName); // delivered (or refused): nothing waits for a download
    }
  }
  return { fileName, sizeBytes: size, archiveBase64 };
}
