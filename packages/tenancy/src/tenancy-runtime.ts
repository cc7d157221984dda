// The internals every lifecycle module shares: control models, registry, connection pools.
// Kept apart from the public Tenancy object so lifecycle code can lease a tenant's handle
// whatever its status (provisioning, suspended, deleted), which withTenant never allows.
import type { AsyncLocalStorage } from "node:async_hooks";

import type { Connection } from "mongoose";

import type { AuditLog } from "./audit-log";
import type { ClusterClients } from "./cluster-clients";
import type { ClusterRegistry } from "./cluster-registry";
import type { ResolvedConfig } from "./config";
import type { ControlModels } from "./control-models";
import type { EventOutbox } from "./events/outbox";
import { TenantUnavailable, isUnreachableError } from "./errors";
import type { MigrationPlan } from "./migrations";
import type { PasswordHasher } from "./password-hashing";
import type { TenantConcurrency } from "./tenant-concurrency";
import type { TenantDirectory } from "./tenant-directory";
import type { TenantHandle, TenantHandles } from "./tenant-handles";
import type { TenantModels } from "./tenant-models";
import type { TenantRecord, TenantRegistry } from "./tenant-registry";

/** `M`: the models of the registered tenant modules (see createTenancy's `modules`). */
export interface TenantScope<M = unknown> {
  tenant: TenantRecord;
  conn: Connection;
  models: TenantModels & M;
}

export interface TenancyRuntime {
  config: ResolvedConfig;
  /** Identifies this process in provisioning claims and migration locks. */
  instanceId: string;
  controlConn: Connection;
  control: ControlModels;
  registry: TenantRegistry;
  clusterClients: ClusterClients;
  clusters: ClusterRegistry;
  handles: TenantHandles;
  concurrency: TenantConcurrency;
  directory: TenantDirectory;
  audit: AuditLog;
  /** Writes a change and its event in one transaction (events/outbox.ts). */
  events: EventOutbox;
  hasher: PasswordHasher;
  migrations: MigrationPlan;
  scope: AsyncLocalStorage<TenantScope>;
  /** Provisioning/import runs in this process, by slug: a second call for a slug waits its turn. */
  inFlight: Map<string, Promise<unknown>>;
}

/**
 * Leases the tenant's handle for fn; maps "cannot reach the cluster" to TenantUnavailable.
 * If the cluster's heartbeat fails while fn runs, the caller gets TenantUnavailable at once;
 * the lease is still held until fn itself settles, so the handle is never dropped under it.
 */
export async function withHandle<T>(
  rt: TenancyRuntime,
  tenant: TenantRecord,
  fn: (scope: TenantScope) => Promise<T>,
  /** false: a background pass, which leaves the handle LRU as it found it (TenantHandles.acquire). */
  opts: { cache?: boolean } = {},
): Promise<T> {
  const unavailable = (err: unknown): TenantUnavailable =>
    err instanceof TenantUnavailable
      ? err
      : new TenantUnavailable(`Cluster "${tenant.cluster}" is unreachable`, tenant.id, {
          cause: err,
        });
  rt.clusterClients.assertHealthy(tenant.cluster, tenant.id);
  let handle: TenantHandle;
  try {
    handle = await rt.handles.acquire(
      { tenantId: tenant.id, dbName: tenant.dbName, cluster: tenant.cluster },
      opts,
    );
  } catch (err) {
    if (isUnreachableError(err)) throw unavailable(err);
    throw err;
  }
  const leased = handle;
  let stopWatching = (): void => undefined;
  const outage = new Promise<never>((_, reject) => {
    stopWatching = rt.clusterClients.onOutage(tenant.cluster, (err) => reject(unavailable(err)));
  });
  outage.catch(() => undefined);
  const scope: TenantScope = { tenant, conn: leased.conn, models: leased.models };
  // Promise.resolve inside run: fn may hand back a mongoose Query (a thenable that must be
  // executed exactly once) or throw synchronously; either way the lease is released once.
  let work: Promise<T>;
  try {
    work = rt.scope.run(scope, () => Promise.resolve(fn(scope)));
  } catch (err) {
    work = Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  void work.then(
    () => rt.handles.release(leased),
    () => rt.handles.release(leased),
  );
  try {
    return await Promise.race([work, outage]);
  } catch (err) {
    if (isUnreachableError(err)) throw unavailable(err);
    throw err;
  } finally {
    stopWatching();
  }
}
