// Tenant administration: each handler calls one tenancy use case, which owns the rules and writes
// the audit entry with the admin as its actor; the api shapes the answers.
import { readFile, stat } from "node:fs/promises";

import { refuse } from "../../../api-errors";
import { resetUrls } from "../../../auth/password-reset-requests";
import type { TenantRecord } from "../../../tenancy-port";
import type { AdminContext } from "../../../trpc";
import { adminActor } from "../admin-audit";
import type {
  TCreateTenantInput,
  TExportTenantInput,
  TListTenantsInput,
  TMigrationJobInput,
  TPurgeTenantInput,
  TRenameTenantInput,
  TSendOwnerResetInput,
  TSetTenantPlanInput,
  TSuspendTenantInput,
  TTenantId,
  TTenantMembersInput,
} from "./tenants.schema";

type H<I> = { ctx: AdminContext; input: I };

function publicTenantRow(t: TenantRecord) {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    status: t.status,
    statusReason: t.statusReason,
    cluster: t.cluster,
    plan: t.plan,
    schemaVersion: t.schemaVersion,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

const loadTenant = (ctx: AdminContext, id: string) => ctx.services.tenancy.tenants.get(id);

export async function listTenantsHandler({ ctx, input }: H<TListTenantsInput>) {
  const { tenancy } = ctx.services;
  const { items, total } = await tenancy.tenants.list({
    ...(input.status ? { status: input.status } : { includePurged: true }),
    ...(input.search ? { search: input.search } : {}),
    sort: input.sort,
    page: input.page,
    limit: input.limit,
  });
  return {
    items: items.map((t) => ({ ...publicTenantRow(t), cached: tenancy.registry.isCached(t.id) })),
    total,
    page: input.page,
    pages: Math.max(1, Math.ceil(total / input.limit)),
  };
}

export async function createTenantHandler({ ctx, input }: H<TCreateTenantInput>) {
  const record = await ctx.services.tenancy.lifecycle.provision(
    {
      slug: input.slug,
      name: input.name,
      owner: input.owner,
      ...(input.cluster ? { cluster: input.cluster } : {}),
      ...(input.plan ? { plan: input.plan } : {}),
    },
    adminActor(ctx),
  );
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
    planLimits: planLimits(ctx, doc),
    // Leases this instance holds on the tenant's handle right now.
    leasedNow: pool.leasesByTenant[input.id] ?? 0,
  };
}

/** Owners and members as tenancy shows them (no password hash); a purged tenant's roster is empty. */
export const tenantMembersHandler = ({ ctx, input }: H<TTenantMembersInput>) =>
  ctx.services.tenancy.tenants.members(input.id, {
    limit: input.limit,
    ...(input.status ? { status: input.status } : {}),
  });

export async function renameTenantHandler({ ctx, input }: H<TRenameTenantInput>) {
  await lifecycle(ctx).rename(input.id, input.name, adminActor(ctx));
  return publicTenantRow(await loadTenant(ctx, input.id));
}

/** Every limit the tenant has: the plan's value, the override if any, and the one in force. */
function planLimits(ctx: AdminContext, t: TenantRecord) {
  return ctx.services.tenancy.plans.limitNames().map((name) => ({
    name,
    override: t.limits[name] ?? null,
    max: ctx.services.tenancy.plans.limit(t, name),
  }));
}

export async function setTenantPlanHandler({ ctx, input }: H<TSetTenantPlanInput>) {
  const { id, ...change } = input;
  const record = await ctx.services.tenancy.plans.setPlan(id, change, adminActor(ctx));
  return { ...publicTenantRow(record), planLimits: planLimits(ctx, record) };
}

/** Runs one lifecycle use case (it audits) and answers the tenant as it is afterwards. */
async function transition(ctx: AdminContext, id: string, run: () => Promise<unknown>) {
  try {
    await run();
  } finally {
    // Suspend/delete revoke sessions: this instance's cached auth checks of the tenant go at once.
    ctx.services.authChecks.invalidate(id);
  }
  return publicTenantRow(await loadTenant(ctx, id));
}

const lifecycle = (ctx: AdminContext) => ctx.services.tenancy.lifecycle;

export const suspendTenantHandler = ({ ctx, input }: H<TSuspendTenantInput>) =>
  transition(ctx, input.id, () => lifecycle(ctx).suspend(input.id, input.reason, adminActor(ctx)));

export const resumeTenantHandler = ({ ctx, input }: H<TTenantId>) =>
  transition(ctx, input.id, () => lifecycle(ctx).resume(input.id, adminActor(ctx)));

export const deleteTenantHandler = ({ ctx, input }: H<TTenantId>) =>
  transition(ctx, input.id, () => lifecycle(ctx).softDelete(input.id, adminActor(ctx)));

export const restoreTenantHandler = ({ ctx, input }: H<TTenantId>) =>
  transition(ctx, input.id, () => lifecycle(ctx).restore(input.id, adminActor(ctx)));

/** Moves a busy tenant to a connection pool of its own (same servers), so it cannot starve others. */
export const dedicatePoolHandler = ({ ctx, input }: H<TTenantId>) =>
  transition(ctx, input.id, () => lifecycle(ctx).dedicatePool(input.id, adminActor(ctx)));

export const releasePoolHandler = ({ ctx, input }: H<TTenantId>) =>
  transition(ctx, input.id, () => lifecycle(ctx).releasePool(input.id, adminActor(ctx)));

/** Mails the tenant's active owners a reset link; the admin sees only who it went to. */
export const sendOwnerResetHandler = async ({ ctx, input }: H<TSendOwnerResetInput>) => {
  const { emails } = await ctx.services.tenancy.passwordResets.sendToOwners(
    input.id,
    input.reason,
    adminActor(ctx),
    resetUrls(ctx),
  );
  return { ok: true as const, sentTo: emails };
};

export const purgeTenantHandler = ({ ctx, input }: H<TPurgeTenantInput>) =>
  transition(ctx, input.id, async () => {
    const tenant = await loadTenant(ctx, input.id);
    if (tenant.slug !== input.confirmSlug) {
      throw refuse("BAD_REQUEST", "INVALID_INPUT", "confirmSlug does not match the tenant's slug");
    }
    await lifecycle(ctx).purge(input.id, adminActor(ctx));
  });

export async function migrateTenantHandler({ ctx, input }: H<TTenantId>) {
  const result = await lifecycle(ctx).migrate(input.id, adminActor(ctx));
  return { tenant: publicTenantRow(await loadTenant(ctx, input.id)), result };
}

/**
 * Queues migrateAll as a background job (one run at a time across all instances); poll
 * migrationStatus for progress, which is stored in the control database and readable anywhere.
 */
export async function migrateAllHandler({ ctx }: { ctx: AdminContext }) {
  const { run, alreadyRunning } = await ctx.services.tenancy.jobs.migrateAll.start(
    { concurrency: 4 },
    adminActor(ctx),
  );
  return { jobId: run.id, alreadyRunning };
}

export async function migrationStatusHandler({ ctx, input }: H<TMigrationJobInput>) {
  const run = await ctx.services.tenancy.jobs.migrateAll.get(input.jobId);
  if (!run) throw refuse("NOT_FOUND", "NOT_FOUND", "No such migration job");
  return {
    id: run.id,
    status: run.status,
    startedAt: run.startedAt ?? run.queuedAt,
    finishedAt: run.finishedAt,
    progress: {
      done: run.done,
      total: run.total ?? undefined,
      migrated: run.migrated,
      failed: run.failed,
      targetVersion: run.targetVersion ?? undefined,
      ...(run.last ? { tenantId: run.last.tenantId, slug: run.last.slug } : {}),
    },
    error: run.error,
    done: run.status === "finished" || run.status === "failed",
  };
}

/** Largest archive returned inline; bigger ones stay on the server (or use the CLI). */
const INLINE_EXPORT_MAX_BYTES = 32 * 1024 * 1024;

export async function exportTenantHandler({ ctx, input }: H<TExportTenantInput>) {
  const doc = await loadTenant(ctx, input.id);
  const folder = await ctx.services.exportFolder();
  const fileName = folder.newName(doc.slug);
  const file = folder.pathOf(fileName);
  // tenancy audits the file name only: no answer (the audit log included) names a server path.
  await lifecycle(ctx).exportTenant(input.id, file, {}, adminActor(ctx));
  const size = (await stat(file).catch(() => null))?.size ?? null;
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
