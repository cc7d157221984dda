// Per-tenant handles (useDb children of the cluster's base connection) in a bounded LRU.
// Every use is a lease. When the LRU evicts or expires a handle that is still leased, the
// handle moves to `draining` and is only dropped (removeDb, never close()) at its last
// release; a tenant asked for again while draining gets the same handle back. A background pass
// over many tenants (usage snapshots) leases with `cache: false`: a tenant not in the LRU gets a
// handle that starts out draining, so the pass never evicts the handles requests are using.
import { LRUCache } from "lru-cache";
import type { Connection } from "mongoose";

import type { ClusterClients } from "./cluster-clients";
import { forgetModels } from "./model-sharing";
import type { TenantModels } from "./tenant-models";
import { registerTenantModels } from "./tenant-models";
import type { AnyTenantModule } from "./tenant-module";
import { withModuleModels } from "./tenant-module";

export interface HandleTarget {
  tenantId: string;
  dbName: string;
  cluster: string;
}

export interface TenantHandle extends HandleTarget {
  /** The cluster's base connection, which owns the useDb child. */
  base: Connection;
  conn: Connection;
  models: TenantModels;
  leases: number;
  evicted: boolean;
  dropped: boolean;
}

export interface HandleStats {
  handles: number;
  draining: number;
  leases: number;
  hits: number;
  misses: number;
  evictions: number;
  /** Handles evicted while leased and kept until release (never dropped under a lease). */
  deferredEvictions: number;
  /** Must stay 0: a handle dropped while a lease was still out. */
  evictedWhileLeased: number;
  /** Leases out now, by tenant id; only tenants with at least one lease appear. */
  leasesByTenant: Record<string, number>;
}

export class TenantHandles {
  private readonly lru: LRUCache<string, TenantHandle>;
  private readonly draining = new Map<string, TenantHandle>();
  private readonly opening = new Map<string, Promise<TenantHandle>>();
  private counters = {
    hits: 0,
    misses: 0,
    evictions: 0,
    deferredEvictions: 0,
    evictedWhileLeased: 0,
  };
  private leases = 0;
  // Kept beside handle.leases because a tenant can briefly have two handles (one draining).
  private readonly leasedTenants = new Map<string, number>();
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly clusters: ClusterClients,
    opts: { maxHandles: number; idleTtlMs: number },
    /** The registered tenant modules, whose models every handle also offers. */
    private readonly modules: readonly AnyTenantModule[] = [],
  ) {
    this.lru = new LRUCache<string, TenantHandle>({
      max: opts.maxHandles,
      ttl: opts.idleTtlMs,
      // No 1 ms clock-caching timer per lease (an extra wake-up per call at low concurrency).
      ttlResolution: 0,
      ttlAutopurge: true,
      updateAgeOnGet: true,
      disposeAfter: (handle, _key, reason) => {
        if (reason === "set") return; // never replaced in place; see acquire
        this.leave(handle, reason === "evict" || reason === "expire");
      },
    });
  }

  /**
   * Leases the tenant's handle; pair every call with release(). `cache: false` uses the cached
   * handle if there is one and otherwise opens one outside the LRU, dropped at its last release.
   */
  async acquire(target: HandleTarget, opts: { cache?: boolean } = {}): Promise<TenantHandle> {
    const cache = opts.cache ?? true;
    const matches = (h: TenantHandle): boolean =>
      h.dbName === target.dbName && h.cluster === target.cluster;
    for (;;) {
      // peek for an uncached lease: a background pass does not make a handle recent.
      const cached = cache ? this.lru.get(target.tenantId) : this.lru.peek(target.tenantId);
      if (cached && matches(cached)) {
        this.counters.hits++;
        return this.lease(cached);
      }
      if (cached) this.lru.delete(target.tenantId); // tenant moved (other pool or database): stale handle
      const draining = this.draining.get(target.tenantId);
      if (draining && matches(draining) && !draining.dropped) {
        this.counters.hits++;
        if (!cache) return this.lease(draining);
        // Still leased by someone: bring it back instead of opening a twin.
        this.draining.delete(target.tenantId);
        draining.evicted = false;
        const leased = this.lease(draining);
        this.lru.set(target.tenantId, draining);
        return leased;
      }
      let pending = this.opening.get(target.tenantId);
      if (!pending) {
        this.counters.misses++;
        pending = this.open(target, cache).finally(() => this.opening.delete(target.tenantId));
        this.opening.set(target.tenantId, pending);
      }
      const handle = await pending;
      // Between open and this continuation the LRU may have churned; only lease a live handle
      // (an uncached lease also takes one that is draining: nothing drops it before a release).
      if (!handle.dropped && (!handle.evicted || !cache) && matches(handle))
        return this.lease(handle);
    }
  }

  release(handle: TenantHandle): void {
    handle.leases--;
    this.leases--;
    const left = (this.leasedTenants.get(handle.tenantId) ?? 1) - 1;
    if (left > 0) this.leasedTenants.set(handle.tenantId, left);
    else this.leasedTenants.delete(handle.tenantId);
    if (handle.leases === 0 && handle.evicted) this.drop(handle);
    if (this.leases === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Drops a tenant's handle (purge, import over): leased handles go once released. */
  forget(tenantId: string): void {
    this.lru.delete(tenantId);
  }

  isCached(tenantId: string): boolean {
    return this.lru.has(tenantId) || this.draining.has(tenantId);
  }

  isLeased(tenantId: string): boolean {
    return this.leasedTenants.has(tenantId);
  }

  stats(): HandleStats {
    return {
      handles: this.lru.size,
      draining: this.draining.size,
      leases: this.leases,
      ...this.counters,
      leasesByTenant: Object.fromEntries(this.leasedTenants),
    };
  }

  /** Resolves when no lease is out, or after timeoutMs; returns whether it drained. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.leases === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.drainWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Drops every handle; called at shutdown after draining. */
  clear(): void {
    this.leasedTenants.clear();
    this.lru.clear();
    for (const handle of [...this.draining.values()]) {
      handle.leases = 0;
      this.drop(handle);
    }
  }

  private lease(handle: TenantHandle): TenantHandle {
    handle.leases++;
    this.leases++;
    this.leasedTenants.set(handle.tenantId, (this.leasedTenants.get(handle.tenantId) ?? 0) + 1);
    return handle;
  }

  private async open(target: HandleTarget, cache: boolean): Promise<TenantHandle> {
    const base = await this.clusters.acquire(target.cluster, target.tenantId);
    const conn = base.useDb(target.dbName, { useCache: true });
    const handle: TenantHandle = {
      ...target,
      base,
      conn,
      models: withModuleModels(conn, registerTenantModels(conn), this.modules),
      leases: 0,
      evicted: !cache,
      dropped: false,
    };
    if (cache) this.lru.set(target.tenantId, handle);
    else this.draining.set(target.tenantId, handle);
    return handle;
  }

  private leave(handle: TenantHandle, evicted: boolean): void {
    if (evicted) this.counters.evictions++;
    handle.evicted = true;
    if (handle.leases > 0) {
      this.counters.deferredEvictions++;
      this.draining.set(handle.tenantId, handle);
    } else {
      this.drop(handle);
    }
  }

  private drop(handle: TenantHandle): void {
    if (handle.dropped) return;
    if (handle.leases > 0) this.counters.evictedWhileLeased++;
    handle.dropped = true;
    if (this.draining.get(handle.tenantId) === handle) this.draining.delete(handle.tenantId);
    try {
      // removeDb, never close(): closing a useDb child closes the shared client.
      (handle.base as Connection & { removeDb(name: string): void }).removeDb(handle.dbName);
      forgetModels(handle.conn);
    } catch {
      // already removed (e.g. the cluster client closed first)
    }
    this.clusters.release(handle.cluster);
  }
}
