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
import { TenantUnavailable, isUnreachableError } from "./errors";
import type { TenantMigration } from "./migrations";
import type { PasswordHasher } from "./password-hashing";
import type { TenantConcurrency } from "./tenant-concurrency";
import type { TenantDirectory } from "./tenant-directory";
import type { TenantHandles } from "./tenant-handles";
import type { TenantModels } from "./tenant-models";
import type { TenantRecord, TenantRegistry } from "./tenant-registry";

export interface TenantScope {
  tenant: TenantRecord;
  conn: Connection;
  models: TenantModels;
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
  hasher: PasswordHasher;
  migrations: TenantMigration[];
  scope: AsyncLocalStorage<TenantScope>;
  /** Provisioning/import runs in this process, by slug: a second call for a slug waits its turn. */
  inFlight: Map<string, Promise<unknown>>;
}

/** Leases the tenant's handle for fn; maps "cannot reach the cluster" to TenantUnavailable. */
export async function withHandle<T>(rt: TenancyRuntime, tenant: TenantRecord, fn: (scope: TenantScope) => Promise<T>): Promise<T> {
  let handle;
  try {
    handle = await rt.handles.acquire({ tenantId: tenant.id, dbName: tenant.dbName, cluster: tenant.cluster });
  } catch (err) {
    if (isUnreachableError(err)) throw new TenantUnavailable(`Cluster "${tenant.cluster}" is unreachable`, tenant.id, { cause: err });
    throw err;
  }
  try {
    const scope: TenantScope = { tenant, conn: handle.conn, models: handle.models };
    return await rt.scope.run(scope, () => fn(scope));
  } catch (err) {
    if (isUnreachableError(err)) throw new TenantUnavailable(`Cluster "${tenant.cluster}" is unreachable`, tenant.id, { cause: err });
    throw err;
  } finally {
    rt.handles.release(handle);
  }
}
