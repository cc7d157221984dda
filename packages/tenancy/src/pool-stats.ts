// The connection figures of one process (what `tenancy.stats()` returns) and the form each
// instance reports to the fleet (instance-heartbeats.ts): a leaf module, so both import it.
import type { HandleStats } from "./tenant-handles";
import type { RegistryStats } from "./tenant-registry";

export interface PoolStats extends HandleStats {
  openClients: number;
  /** Pool sockets open across all cluster clients (driver CMAP events). */
  sockets: number;
  clusters: { name: string; refs: number; sockets: number }[];
  /** withTenant calls waiting for their tenant's in-flight slot. */
  queued: number;
  busyTenants: number;
  /** withTenant calls refused since start: queue full or deadline passed (TENANT_BUSY). */
  busyRefusals: number;
  /** withTenant calls refused since start: over the plan's requestsPerMinute (TENANT_RATE_LIMITED). */
  rateRefusals: number;
  registry: RegistryStats;
}

/** PoolStats as an instance reports it: the tenants with a lease are counted, not named. */
export type ReportedPoolStats = Omit<PoolStats, "leasesByTenant"> & { leasedTenants: number };

export function reportedPoolStats(stats: PoolStats): ReportedPoolStats {
  const { leasesByTenant, ...rest } = stats;
  return { ...rest, leasedTenants: Object.keys(leasesByTenant).length };
}
