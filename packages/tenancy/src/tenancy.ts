// createTenancy: wires the control connection, cluster clients, handle LRU, registry and
// lifecycle into the Tenancy object the api consumes.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { basename } from "node:path";

import mongoose from "mongoose";
import type { ClientSession } from "mongoose";

import { AdminAccounts } from "./admin-accounts";
import type { KeyRateLimitConfig, KeyRateLimits } from "./api-key-rate-limits";
import { createKeyRateLimits } from "./api-key-rate-limits";
import { ApiKeys, PlatformKeys } from "./api-keys";
import type { AuditEntry, AuditEntryInput, AuditListFilter } from "./audit-log";
import { AuditLog, SYSTEM_ACTOR } from "./audit-log";
import { ClusterClients, DEFAULT_CLUSTER, connectionOptions } from "./cluster-clients";
import type { ClusterInfo } from "./cluster-registry";
import { ClusterRegistry } from "./cluster-registry";
import type { TenancyConfig } from "./config";
import { resolveConfig } from "./config";
import type { AuditActor, MemberRole } from "./control-models";
import { ensureControlIndexes, registerControlModels } from "./control-models";
import { rawControl } from "./control-access";
import type { LoginRateLimiter, RateLimitConfig } from "./login-throttle";
import { createLoginRateLimiter } from "./login-throttle";
import { NoTenantContext, TenantNotFound, TenantUnavailable } from "./errors";
import type { MigrateAllReport, MigrateProgress } from "./migration-runner";
import { migrate, migrateAll } from "./migration-runner";
import type { FleetInstance, InstanceIdentity } from "./instance-heartbeats";
import { InstanceHeartbeats } from "./instance-heartbeats";
import { Invites } from "./invites";
import { Members } from "./members";
import { OrgSwitches } from "./org-switch";
import type { RosterOptions, TenantRoster } from "./member-roster";
import { tenantRoster } from "./member-roster";
import { PasswordResets } from "./password-resets";
import type { MigrateResult } from "./migrations";
import { latestVersion, resolveMigrations } from "./migrations";
import type { PasswordHasher } from "./password-hashing";
import { createPasswordHasher } from "./password-hashing";
import type { ProvisionInput, RecoveryReport } from "./provision";
import { provision, recoverySweep } from "./provision";
import type { ArchiveOptions, ArchiveSummary } from "./tenant-archive";
import { exportTenant, importTenant } from "./tenant-archive";
import type { JobValue, StoredJob, TenantJobContext, TenantJobOptions } from "./jobs/job-runner";
import { JobRunner } from "./jobs/job-runner";
import type { MigrateAllRun } from "./jobs/migrate-all-job";
import { MigrateAllRuns } from "./jobs/migrate-all-job";
import type {
  TenantScriptContext,
  TenantScriptProgress,
  TenantScriptResult,
} from "./jobs/tenant-scripts";
import { runTenantScript } from "./jobs/tenant-scripts";
import { TenantConcurrency } from "./tenant-concurrency";
import { TwoFactor } from "./two-factor";
import { TenantRateLimits } from "./tenant-rate-limits";
import type { Membership } from "./tenant-directory";
import { TenantDirectory } from "./tenant-directory";
import { TenantHandles } from "./tenant-handles";
import type { PurgeReceipt, SuspendResult } from "./tenant-lifecycle";
import {
  dedicatePool,
  purge,
  purgeExpired,
  releasePool,
  rename,
  restore,
  resume,
  softDelete,
  suspend,
} from "./tenant-lifecycle";
import type { TenantListFilter } from "./tenant-queries";
import { getTenant, listTenants } from "./tenant-queries";
import type { AnyTenantModule, ModuleStats, ModulesModels } from "./tenant-module";
import { assertModulesDistinct, countedModules, modulesStats } from "./tenant-module";
import type { PoolStats } from "./pool-stats";
import type { PlanChange, UsageReport } from "./tenant-plans";
import { TenantPlans, migrateTenantPlans } from "./tenant-plans";
import type { PlanFeature } from "./policies/plans";
import type { TenantRecord } from "./tenant-registry";
import { TenantRegistry, assertActive, assertReadable } from "./tenant-registry";
import type { TenancyRuntime, TenantScope } from "./tenancy-runtime";
import { withHandle } from "./tenancy-runtime";
import type { BillingPort } from "./billing/billing-port";
import type { DraftMonthReport } from "./billing/invoice-drafts";
import { draftMonthInvoices } from "./billing/invoice-drafts";
import type { UsageDay, UsageFlushReport, UsageSnapshot } from "./usage-metering";
import { UsageMeter } from "./usage-metering";
import { tenantEventTypes } from "./events/catalogue";
import { EventOutbox } from "./events/outbox";
import type { Emit } from "./events/outbox";
import { WebhookWorker } from "./webhooks/webhook-worker";
import type { WorkerRound } from "./webhooks/webhook-worker";
import { PlatformWebhooks, TenantWebhooks } from "./webhooks/webhooks";

export type { PoolStats } from "./pool-stats";

export interface WithTenantOptions {
  /** Admit suspended and deleted tenants too (admin reads); purged/provisioning still throw. */
  allowInactive?: boolean;
  /** The call writes tenant data: refused while the tenant is over its storage limit (read-only). */
  write?: boolean;
}

/** `M`: the models the registered tenant modules add to every scope (inferred by createTenancy). */
export interface Tenancy<M = unknown> {
  registry: {
    get(id: string): Promise<TenantRecord>;
    getBySlug(slug: string): Promise<TenantRecord>;
    requireActive(id: string): Promise<TenantRecord>;
    isCached(id: string): boolean;
    /** Whether this process holds a lease on the tenant's handle right now (stats().leasesByTenant has counts). */
    isLeased(id: string): boolean;
  };
  /**
   * Resolves the tenant (fails closed on any status but active), leases its handle, runs fn in its scope.
   * `allowInactive` (admin reads, e.g. stats) also admits suspended and deleted tenants; never purged
   * or provisioning ones.
   */
  withTenant<T>(
    tenantId: string,
    fn: (scope: TenantScope<M>) => Promise<T>,
    opts?: WithTenantOptions,
  ): Promise<T>;
  /** The scope of the enclosing withTenant; throws NoTenantContext outside one. */
  currentTenant(): TenantScope<M>;
  /** The registered modules' admin stats for one tenant (call inside its withTenant). */
  moduleStats(scope: TenantScope): Promise<ModuleStats>;
  /** Read-only: the directory changes only through `members` (and provisioning), with their invariants. */
  directory: {
    findByEmail(email: string): Promise<Membership[]>;
    listByTenant(
      tenantId: string,
    ): Promise<{ email: string; role: MemberRole; userId: string | null }[]>;
  };
  admins: AdminAccounts;
  /** Login throttling shared by every instance (control `loginAttempts`). */
  loginRateLimiter(config: RateLimitConfig): LoginRateLimiter;
  /** Tenant API keys (service accounts), scoped by the registered modules. */
  apiKeys: ApiKeys;
  /** Super-admin automation keys (control database). */
  platformKeys: PlatformKeys;
  /** Per-key and per-tenant call limits shared by every instance (control database). */
  keyRateLimits(config: KeyRateLimitConfig): KeyRateLimits;
  /** Password recovery: reset links by email, set by members' admins, or for owners by super admins. */
  passwordResets: PasswordResets;
  /** Member changes with their invariants (last owner, seats, directory, sessions, audit). */
  members: Members;
  /** Two-factor sign-in (TOTP, recovery codes, sign-in challenges) for tenant users and super admins. */
  twoFactor: TwoFactor;
  /** Invitations: invite by email, resend, revoke, list pending, accept (links in the tenant database). */
  invites: Invites;
  /** One account across organisations: the switcher's list and the switch without a second password. */
  orgSwitches: OrgSwitches;
  /** The plan catalogue at work: features, limit checks, usage, plan changes. */
  plans: {
    assertFeature(tenant: TenantRecord, feature: PlanFeature): void;
    /** QUOTA_EXCEEDED when the module's counted items are at their limit (before a create). */
    assertItemRoom(scope: TenantScope, module: AnyTenantModule): Promise<void>;
    usage(scope: TenantScope): Promise<UsageReport>;
    /** Audited as `tenant.plan.changed` with the plan and overrides before and after. */
    setPlan(id: string, change: PlanChange, actor?: AuditActor): Promise<TenantRecord>;
    /** Limit names an override may use: the core limits and the counted modules' names. */
    limitNames(): string[];
    /** The limit in force for the tenant: its override, else its plan's value. */
    limit(tenant: TenantRecord, name: string): number;
  };
  passwords: PasswordHasher;
  lifecycle: {
    provision(input: ProvisionInput, actor?: AuditActor): Promise<TenantRecord>;
    suspend(id: string, reason: string, actor?: AuditActor): Promise<SuspendResult>;
    resume(id: string, actor?: AuditActor): Promise<TenantRecord>;
    softDelete(id: string, actor?: AuditActor): Promise<TenantRecord>;
    restore(id: string, actor?: AuditActor): Promise<TenantRecord>;
    purge(id: string, actor?: AuditActor): Promise<PurgeReceipt>;
    /** Gives a busy tenant a client (socket pool) of its own over the same servers. */
    dedicatePool(id: string, actor?: AuditActor): Promise<TenantRecord>;
    /** Puts a tenant back on the shared client of the cluster its data lives on. */
    releasePool(id: string, actor?: AuditActor): Promise<TenantRecord>;
    /** Any status but purged (TenantDeleted); audited as `tenant.renamed` { from, to }. */
    rename(id: string, name: string, actor?: AuditActor): Promise<TenantRecord>;
    /** Purges soft-deleted tenants past their grace period (run it from a scheduler). */
    purgeExpired(
      actor?: AuditActor,
    ): Promise<{ purged: PurgeReceipt[]; failed: { tenantId: string; error: string }[] }>;
    /** Audited as `tenant.migrated`. */
    migrate(id: string, actor?: AuditActor): Promise<MigrateResult>;
    /** Audited once as `tenant.migrateAll.started`. */
    migrateAll(
      opts?: { concurrency?: number; onProgress?: (p: MigrateProgress) => void },
      actor?: AuditActor,
    ): Promise<MigrateAllReport>;
    /** Audited as `tenant.exported` with the archive's file name (never its path). */
    exportTenant(
      id: string,
      file: string,
      opts?: ArchiveOptions,
      actor?: AuditActor,
    ): Promise<ArchiveSummary>;
    importTenant(
      file: string,
      input: { slug: string; name?: string; cluster?: string },
      actor?: AuditActor,
      opts?: ArchiveOptions,
    ): Promise<TenantRecord>;
    recoverySweep(): Promise<RecoveryReport>;
    latestSchemaVersion: number;
  };
  clusters: {
    /** Audited as `cluster.added`. */
    add(
      input: { name: string; uri: string; verify?: boolean },
      actor?: AuditActor,
    ): Promise<{ name: string }>;
    list(): Promise<ClusterInfo[]>;
  };
  tenants: {
    list(filter?: TenantListFilter): Promise<{ items: TenantRecord[]; total: number }>;
    /** Read from the control database, not the registry's cache; TenantNotFound if there is none. */
    get(id: string): Promise<TenantRecord>;
    /** Owners and members (never a password hash), suspended and deleted tenants too; purged: empty. */
    members(id: string, opts?: RosterOptions): Promise<TenantRoster>;
  };
  /** Resolves when the control database answers a ping (readiness probes); throws otherwise. */
  ping(): Promise<void>;
  audit: {
    record(entry: AuditEntryInput): Promise<AuditEntry>;
    list(filter?: AuditListFilter): Promise<{ items: AuditEntry[]; nextCursor: string | null }>;
  };
  stats(): PoolStats;
  /** The API fleet: every serving instance's own entry in control `apiInstances`. */
  fleet: {
    /** Starts this process's heartbeat (once; the entry is deleted again at shutdown). */
    join(identity: InstanceIdentity): Promise<void>;
    /** Every instance seen in the last hour, with uptime and a stale mark. */
    list(): Promise<FleetInstance[]>;
  };
  /** Usage metering (control `usageDaily`, counts only): see usage-metering.ts. */
  usage: {
    /** Counts one API call of the tenant in memory; written at the next flush, never per call. */
    recordCall(tenantId: string): void;
    /** Writes the counted calls (one bulk of $inc upserts) and the due snapshots now. */
    flush(): Promise<UsageFlushReport>;
    /** Measures seats, storage and documents of one tenant now, as today's snapshot. */
    snapshot(tenantId: string): Promise<UsageSnapshot | null>;
    /** The tenant's last `days` UTC days (default 30), oldest first; missing days are zeros. */
    daily(tenantId: string, days?: number): Promise<UsageDay[]>;
    /** The same rows as CSV text with a header row. */
    csv(rows: readonly UsageDay[]): string;
  };
  /** Invoice drafts from the metered usage, through a billing port (billing/billing-port.ts). */
  billing: {
    /** One draft per tenant with usage in `month` ("YYYY-MM", UTC). */
    draftMonth(month: string, port: BillingPort): Promise<DraftMonthReport>;
  };
  /** A tenant module's change and its event in one transaction (the tenant's outbox, events/outbox.ts). */
  events: {
    /** `fn` passes `session` to its writes and emits its events; both commit or neither does. */
    transaction<T>(
      scope: TenantScope,
      fn: (session: ClientSession, emit: Emit) => Promise<T>,
    ): Promise<T>;
  };
  /** Webhook endpoints, deliveries and the worker that sends them (webhooks/). */
  webhooks: {
    platform: PlatformWebhooks;
    tenant: TenantWebhooks;
    /** The relay and delivery poll loop; the API server starts it and shutdown stops it. */
    worker: { start(): void; stop(): Promise<void>; runOnce(): Promise<WorkerRound> };
  };
  /**
   * Background jobs in the control database (jobs/job-runner.ts). Any process may queue them;
   * only one that called start() runs them. Tenant jobs run inside withTenant of their tenant.
   */
  jobs: {
    /** A kind of tenant job; every instance that runs jobs defines the same kinds before start(). */
    defineTenantJob(
      name: string,
      run: (ctx: TenantJobContext<M>) => Promise<void>,
      opts?: TenantJobOptions,
    ): void;
    enqueue(tenantId: string, name: string, data?: Record<string, JobValue>): Promise<string>;
    enqueueMany(
      tenantId: string,
      name: string,
      items: readonly Record<string, JobValue>[],
    ): Promise<string[]>;
    list(filter?: { tenantId?: string; name?: string; limit?: number }): Promise<StoredJob[]>;
    get(id: string): Promise<StoredJob | null>;
    /** Runs jobs on this instance and schedules the repeating ones (purge, sweep, usage). */
    start(): Promise<void>;
    stop(timeoutMs?: number): Promise<{ drained: boolean }>;
    readonly running: boolean;
    /** migrateAll as a job; its progress is stored, so any instance can read it. */
    migrateAll: {
      /** Audited once as `tenant.migrateAll.started` when a run is queued. */
      start(
        opts?: { concurrency?: number },
        actor?: AuditActor,
      ): Promise<{ run: MigrateAllRun; alreadyRunning: boolean }>;
      get(id: string): Promise<MigrateAllRun | null>;
      latest(): Promise<MigrateAllRun | null>;
    };
    /**
     * Runs an operator's script in each tenant's scope (withTenant), `concurrency` at once; a
     * failing tenant is reported and the rest carry on. Audited per tenant as `tenant.scriptRan`.
     */
    runScript(
      tenants: readonly Pick<TenantRecord, "id" | "slug">[],
      script: (ctx: TenantScriptContext<M>) => unknown,
      opts: {
        name: string;
        concurrency?: number;
        onProgress?: (p: TenantScriptProgress) => void;
      },
      actor?: AuditActor,
    ): Promise<TenantScriptResult[]>;
  };
  /** Stops taking work, waits up to timeoutMs for leases to return, then closes every client. */
  shutdown(opts?: { timeoutMs?: number }): Promise<{ drained: boolean }>;
  readonly instanceId: string;
}

/** createTenancy's argument: the config plus the app's tenant modules, registered once here. */
export type TenancyOptions<Ms extends readonly AnyTenantModule[] = readonly AnyTenantModule[]> =
  TenancyConfig & { modules?: Ms };

export async function createTenancy<const Ms extends readonly AnyTenantModule[] = []>(
  options: TenancyOptions<Ms>,
): Promise<Tenancy<ModulesModels<Ms>>> {
  const { modules = [] as readonly AnyTenantModule[], ...config } = options;
  assertModulesDistinct(modules);
  const cfg = resolveConfig(config);
  const migrations = resolveMigrations(cfg.migrations, modules);
  const controlConn = mongoose.createConnection(cfg.controlUri, {
    ...connectionOptions(cfg),
    dbName: cfg.controlDbName,
  });
  const clusterClients = new ClusterClients(
    controlConn,
    registerControlModels(controlConn),
    cfg.encryptionKeyBytes,
    cfg,
    cfg.logger,
  );
  try {
    await controlConn.asPromise();
  } catch (err) {
    await controlConn.close(true).catch(() => undefined);
    throw new TenantUnavailable("Control database is unreachable", undefined, { cause: err });
  }
  const control = registerControlModels(controlConn);
  await ensureControlIndexes(control);
  await migrateTenantPlans(control);

  const registry = new TenantRegistry(control, cfg.registryRefreshMs, cfg.logger, (work) =>
    clusterClients.guard(DEFAULT_CLUSTER, work),
  );
  const hasher = createPasswordHasher(cfg.passwordHashing);
  const audit = new AuditLog(control);
  let wakeWorker = (): void => undefined;
  const events = new EventOutbox(cfg.hooks, () => wakeWorker());
  const plans = new TenantPlans(control, registry, audit, modules, events, controlConn);
  const rt: TenancyRuntime = {
    config: cfg,
    instanceId: `${process.pid}-${randomUUID()}`,
    controlConn,
    control,
    registry,
    clusterClients,
    clusters: new ClusterRegistry(
      control,
      clusterClients,
      cfg.encryptionKeyBytes,
      cfg.unavailableAfterMs,
      cfg.clusterUriPolicy,
      cfg.logger,
    ),
    handles: new TenantHandles(clusterClients, cfg.cache, modules),
    concurrency: new TenantConcurrency(cfg.admission),
    directory: new TenantDirectory(control),
    audit,
    events,
    hasher,
    migrations,
    scope: new AsyncLocalStorage<TenantScope>(),
    inFlight: new Map(),
  };
  const rates = new TenantRateLimits(
    controlConn.getClient(),
    cfg.controlDbName,
    cfg.admission.rateSyncMs,
    cfg.logger,
  );
  await rt.clusters.ensureDefault(cfg.controlUri);
  await registry.start();
  rates.start();
  if (cfg.recoverOnStart) {
    const report = await recoverySweep(rt, SYSTEM_ACTOR);
    if (report.completed.length || report.rolledBack.length)
      cfg.logger.info({ ...report }, "provisioning recovery sweep");
  }

  let sweepTimer: NodeJS.Timeout | null = null;
  if (cfg.recoverySweepIntervalMs > 0) {
    sweepTimer = setInterval(() => {
      // An instance that runs jobs sweeps as the scheduled job instead (once for all instances).
      if (jobs.running) return;
      recoverySweep(rt, SYSTEM_ACTOR).catch((err: unknown) =>
        cfg.logger.warn({ err: (err as Error).message }, "periodic recovery sweep failed"),
      );
    }, cfg.recoverySweepIntervalMs);
    sweepTimer.unref();
  }

  const meter = new UsageMeter(control, {
    moduleNames: countedModules(modules).map((m) => m.name),
    snapshotEveryMs: cfg.usage.snapshotSeconds * 1000,
    isOpen: (id) => rt.handles.isCached(id),
    logger: cfg.logger,
    // The plan's own measurements (the ones its limits enforce), taken outside any call's slot.
    async measure(tenantId) {
      const tenant = await registry.get(tenantId).catch(() => null);
      if (!tenant || (tenant.status !== "active" && tenant.status !== "suspended")) return null;
      // Uncached: the hourly pass over every tenant must not evict the handles in use.
      const report = await withHandle(rt, tenant, (scope) => plans.usage(scope), { cache: false });
      const used = new Map(report.limits.map((l) => [l.limit, l.used]));
      return {
        seats: used.get("seats") ?? 0,
        storageBytes: used.get("storageBytes") ?? 0,
        documents: Object.fromEntries(
          countedModules(modules).map((m) => [m.name, used.get(m.name) ?? 0]),
        ),
      };
    },
  });
  meter.start(cfg.usage.flushSeconds);

  const heartbeats = new InstanceHeartbeats(
    control,
    cfg.heartbeatMs,
    () => tenancy.stats(),
    cfg.logger,
  );

  let shuttingDown = false;
  let shutdownPromise: Promise<{ drained: boolean }> | null = null;

  const withTenant = async <T>(
    tenantId: string,
    fn: (scope: TenantScope<ModulesModels<Ms>>) => Promise<T>,
    opts: WithTenantOptions = {},
  ): Promise<T> => {
    if (shuttingDown) throw new TenantUnavailable("Shutting down", tenantId);
    const admit = opts.allowInactive ? assertReadable : assertActive;
    const outer = rt.scope.getStore();
    // nested use: same lease, no second slot
    if (outer?.tenant.id === tenantId) return fn(outer as TenantScope<ModulesModels<Ms>>);
    const record = admit(await registry.get(tenantId));
    const leased = async () => {
      // Re-check after queueing: a suspension or a shutdown may have landed while we waited.
      const tenant = admit(await registry.get(tenantId));
      if (shuttingDown) throw new TenantUnavailable("Shutting down", tenantId);
      // The handle's models include the modules' (TenantHandles compiles them).
      return withHandle(rt, tenant, async (scope) => {
        if (opts.write) await plans.assertWritable(scope);
        return (fn as (scope: TenantScope) => Promise<T>)(scope);
      });
    };
    if (!cfg.admission.enabled) return leased();
    // Admission by the tenant's plan: its request rate (all instances), then its in-flight bound.
    const rated = rates.admit(tenantId, plans.limit(record, "requestsPerMinute"));
    if (rated) await rated;
    return rt.concurrency.run(tenantId, plans.limit(record, "inFlight"), leased);
  };

  /** One control audit entry about a tenant, for the use cases wired here. */
  const auditTenant = async (
    id: string,
    actor: AuditActor,
    action: string,
    details: Record<string, unknown>,
  ) => {
    const { slug } = await registry.get(id);
    await rt.audit.record({ actor, action, tenantId: id, tenantSlug: slug, details });
  };

  const members = new Members(rt.directory, hasher, plans, events);
  const worker = new WebhookWorker(rt, cfg.webhooks);
  if (cfg.webhooks.allowPrivateUrls)
    cfg.logger.warn(
      {},
      "webhooks may target http:// and private or loopback addresses (WEBHOOKS_ALLOW_PRIVATE_URLS): for local runs only",
    );
  wakeWorker = () => worker.nudge();
  const webhookDeps = {
    controlConn,
    audit: rt.audit,
    key: cfg.encryptionKeyBytes,
    config: cfg.webhooks,
    tenantEventTypes: tenantEventTypes(modules),
    nudge: () => worker.nudge(),
  };
  const jobs = new JobRunner({
    db: controlConn.getClient().db(cfg.controlDbName),
    config: cfg,
    withTenant: (id, fn, opts) => withTenant(id, fn as never, opts),
    instanceId: rt.instanceId,
    statusOf: async (id) => {
      const doc = await control.Tenant.findById(id)
        .select({ status: 1 })
        .lean<{ status: string }>()
        .catch(() => null);
      return doc?.status ?? null;
    },
  });
  // The scheduled platform work: one run per interval across all instances (agenda's lock).
  jobs.defineSystemJob({
    name: "tenancy.purgeExpired",
    everyMs: cfg.jobs.purgeExpiredEveryMs,
    async run() {
      const report = await purgeExpired(rt, SYSTEM_ACTOR);
      if (report.purged.length || report.failed.length)
        cfg.logger.info(
          { purged: report.purged.length, failed: report.failed },
          "purged expired tenants",
        );
    },
  });
  jobs.defineSystemJob({
    name: "tenancy.recoverySweep",
    everyMs: cfg.recoverySweepIntervalMs,
    // A crash mid-provisioning is when the sweep matters most: an instance killed while holding
    // this job's lock must not hold it for jobs.lockLifetimeMs (10 min). Each tenant is claimed
    // before the sweep touches it, so two overlapping sweeps are safe.
    lockLifetimeMs: Math.max(cfg.recoverySweepIntervalMs, 5_000),
    async run() {
      const report = await recoverySweep(rt, SYSTEM_ACTOR);
      if (report.completed.length || report.rolledBack.length)
        cfg.logger.info({ ...report }, "provisioning recovery sweep");
    },
  });
  jobs.defineSystemJob({
    name: "tenancy.usageSnapshots",
    everyMs: cfg.jobs.usageSnapshotEveryMs,
    // Every tenant's seats, storage and documents, also those nobody called today.
    async run(job) {
      const tenants = await control.Tenant.find({ status: { $in: ["active", "suspended"] } })
        .select({ _id: 1 })
        .lean<{ _id: { toHexString(): string } }[]>();
      for (const t of tenants) {
        await meter
          .snapshot(t._id.toHexString())
          .catch((err: unknown) =>
            cfg.logger.warn(
              { tenantId: t._id.toHexString(), err: (err as Error).message },
              "usage snapshot failed",
            ),
          );
        await job.touch();
      }
    },
  });
  const migrateAllRuns = new MigrateAllRuns(
    controlConn.getClient().db(cfg.controlDbName),
    rt,
    jobs,
  );
  const tenancy: Tenancy<ModulesModels<Ms>> = {
    instanceId: rt.instanceId,
    registry: {
      get: (id) => registry.get(id),
      getBySlug: (slug) => registry.getBySlug(slug),
      requireActive: (id) => registry.requireActive(id),
      isCached: (id) => registry.isCached(id),
      isLeased: (id) => rt.handles.isLeased(id),
    },
    withTenant,
    currentTenant() {
      const scope = rt.scope.getStore();
      if (!scope) throw new NoTenantContext();
      return scope as TenantScope<ModulesModels<Ms>>;
    },
    moduleStats: (scope) => modulesStats(scope.models, modules),
    directory: {
      findByEmail: (email) => rt.directory.findByEmail(email),
      listByTenant: (tenantId) => rt.directory.listByTenant(tenantId),
    },
    admins: new AdminAccounts(control, hasher, rt.audit),
    loginRateLimiter: (limits) => createLoginRateLimiter(control.LoginAttempt, limits),
    apiKeys: new ApiKeys(modules.map((m) => m.name)),
    platformKeys: new PlatformKeys(control, rt.audit),
    keyRateLimits: (limits) =>
      createKeyRateLimits(controlConn.getClient(), cfg.controlDbName, limits),
    passwordResets: new PasswordResets({
      control,
      directory: rt.directory,
      hasher,
      audit: rt.audit,
      mailer: cfg.mailer,
      withTenant: (id, fn) => withTenant(id, fn as never),
    }),
    members,
    twoFactor: new TwoFactor(cfg.encryptionKeyBytes, hasher),
    invites: new Invites({
      members,
      hasher,
      mailer: cfg.mailer,
      logger: cfg.logger,
      directory: rt.directory,
      withTenant: (id, fn) => withTenant(id, fn as never),
    }),
    orgSwitches: new OrgSwitches({
      directory: rt.directory,
      hasher,
      withTenant: (id, fn) => withTenant(id, fn as never),
    }),
    plans: {
      assertFeature: (tenant, feature) => plans.assertFeature(tenant, feature),
      assertItemRoom: (scope, module) => plans.assertItemRoom(scope, module),
      usage: (scope) => plans.usage(scope),
      setPlan: (id, change, actor = SYSTEM_ACTOR) => plans.setPlan(id, change, actor),
      limitNames: () => plans.limitNames(),
      limit: (tenant, name) => plans.limit(tenant, name),
    },
    passwords: hasher,
    lifecycle: {
      provision: (input, actor = SYSTEM_ACTOR) => provision(rt, input, actor),
      suspend: (id, reason, actor = SYSTEM_ACTOR) => suspend(rt, id, reason, actor),
      resume: (id, actor = SYSTEM_ACTOR) => resume(rt, id, actor),
      softDelete: (id, actor = SYSTEM_ACTOR) => softDelete(rt, id, actor),
      restore: (id, actor = SYSTEM_ACTOR) => restore(rt, id, actor),
      purge: (id, actor = SYSTEM_ACTOR) => purge(rt, id, actor),
      purgeExpired: (actor = SYSTEM_ACTOR) => purgeExpired(rt, actor),
      dedicatePool: (id, actor = SYSTEM_ACTOR) => dedicatePool(rt, id, actor),
      releasePool: (id, actor = SYSTEM_ACTOR) => releasePool(rt, id, actor),
      rename: (id, name, actor = SYSTEM_ACTOR) => rename(rt, id, name, actor),
      async migrate(id, actor = SYSTEM_ACTOR) {
        const result = await migrate(rt, id);
        await auditTenant(id, actor, "tenant.migrated", { from: result.from, to: result.to });
        return result;
      },
      async migrateAll(opts, actor = SYSTEM_ACTOR) {
        await rt.audit.record({ actor, action: "tenant.migrateAll.started" });
        return migrateAll(rt, opts);
      },
      async exportTenant(id, file, opts, actor = SYSTEM_ACTOR) {
        const summary = await exportTenant(rt, id, file, opts);
        await auditTenant(id, actor, "tenant.exported", { fileName: basename(file) });
        return summary;
      },
      importTenant: (file, input, actor = SYSTEM_ACTOR, opts) =>
        importTenant(rt, file, input, actor, opts),
      recoverySweep: () => recoverySweep(rt, SYSTEM_ACTOR),
      latestSchemaVersion: latestVersion(migrations),
    },
    clusters: {
      async add(input, actor = SYSTEM_ACTOR) {
        const added = await rt.clusters.add(input);
        await rt.audit.record({ actor, action: "cluster.added", target: added.name });
        return added;
      },
      list: () => rt.clusters.list(),
    },
    tenants: {
      list: (filter) => listTenants(rt, filter),
      get: (id) => getTenant(rt, id),
      members: async (id, opts) =>
        tenantRoster(
          await getTenant(rt, id),
          (tid, fn) => withTenant(tid, fn as never, { allowInactive: true }),
          opts,
        ),
    },
    async ping() {
      const db = controlConn.db;
      if (!db) throw new TenantUnavailable("Control database is not connected");
      const answer = await db.command({ ping: 1 });
      if (answer.ok !== 1) throw new TenantUnavailable("Control database did not answer the ping");
    },
    audit: {
      record: (entry) => rt.audit.record(entry),
      list: (filter) => rt.audit.list(filter),
    },
    usage: {
      recordCall: (tenantId) => meter.recordCall(tenantId),
      flush: () => meter.flush(),
      snapshot: (tenantId) => meter.snapshot(tenantId),
      daily: (tenantId, days) => meter.daily(tenantId, days),
      csv: (rows) => meter.csv(rows),
    },
    billing: {
      draftMonth: (month, port) =>
        draftMonthInvoices(
          meter,
          (id) =>
            getTenant(rt, id).catch((err: unknown) => {
              if (err instanceof TenantNotFound) return null;
              throw err;
            }),
          port,
          month,
        ),
    },
    events: {
      transaction: (scope, fn) => events.transaction(scope.conn, scope.tenant.id, fn),
    },
    webhooks: {
      platform: new PlatformWebhooks(webhookDeps),
      tenant: new TenantWebhooks(webhookDeps),
      worker: {
        start: () => worker.start(),
        stop: () => worker.stop(),
        runOnce: () => worker.runOnce(),
      },
    },
    jobs: {
      defineTenantJob: (name, run, opts) =>
        jobs.defineTenantJob(name, run as (ctx: TenantJobContext) => Promise<void>, opts),
      enqueue: (tenantId, name, data) => jobs.enqueue(tenantId, name, data),
      enqueueMany: (tenantId, name, items) => jobs.enqueueMany(tenantId, name, items),
      list: (filter) => jobs.list(filter),
      get: (id) => jobs.get(id),
      start: () => jobs.start(),
      stop: (timeoutMs) => jobs.stop(timeoutMs),
      get running() {
        return jobs.running;
      },
      migrateAll: {
        async start(opts, actor = SYSTEM_ACTOR) {
          const started = await migrateAllRuns.start(opts);
          if (!started.alreadyRunning)
            await rt.audit.record({
              actor,
              action: "tenant.migrateAll.started",
              details: { runId: started.run.id },
            });
          return started;
        },
        get: (id) => migrateAllRuns.get(id),
        latest: () => migrateAllRuns.latest(),
      },
      runScript: (tenants, script, opts, actor = SYSTEM_ACTOR) =>
        runTenantScript({ withTenant, audit: rt.audit }, tenants, script, opts, actor),
    },
    stats(): PoolStats {
      const pools = clusterClients.stats();
      const queue = rt.concurrency.stats();
      return {
        ...rt.handles.stats(),
        ...pools,
        ...queue,
        ...rates.stats(),
        registry: registry.stats(),
      };
    },
    fleet: {
      join: (identity) => heartbeats.start(identity),
      list: () => heartbeats.list(),
    },
    shutdown(opts = {}) {
      shutdownPromise ??= (async () => {
        // Jobs first: the running ones still need their tenant scope to finish.
        const jobsStopped = await jobs.stop(opts.timeoutMs ?? 10_000);
        if (!jobsStopped.drained)
          cfg.logger.warn({}, "shutdown: jobs still running after timeout; their locks will lapse");
        shuttingDown = true;
        if (sweepTimer) clearInterval(sweepTimer);
        // Off the fleet first: this instance takes no more work.
        await heartbeats
          .stop()
          .catch((err: unknown) =>
            cfg.logger.warn({ err: (err as Error).message }, "shutdown: fleet entry not removed"),
          );
        await worker.stop();
        registry.stop();
        const drained = await rt.handles.drain(opts.timeoutMs ?? 10_000);
        if (!drained)
          cfg.logger.warn(
            { leases: rt.handles.stats().leases },
            "shutdown: leases still out after timeout; closing anyway",
          );
        rt.handles.clear();
        // The calls counted since the last sync still count on the other instances.
        await rates.stop().catch(() => undefined);
        // Calls counted since the last flush are written before the control connection closes.
        await meter
          .stop()
          .catch((err: unknown) =>
            cfg.logger.warn({ err: (err as Error).message }, "shutdown: usage flush failed"),
          );
        await clusterClients.closeAll();
        await controlConn.close(true).catch(() => undefined);
        return { drained };
      })();
      return shutdownPromise;
    },
  };
  rawControl.set(tenancy, control);
  return tenancy;
}
