// Per-instance memory of a passed API key check, the counterpart of auth-check-cache.ts for keys,
// with the same TTL (authCheckCacheMs, default 1000 ms): a burst of calls with one key costs one
// read per TTL, a key revoked through this instance is refused at once (invalidate), and one
// revoked through another instance within the TTL. Entries are keyed by the whole key string, so
// a wrong secret never hits an entry; a tenant's entries also carry its status and updatedAt.
import type { ServiceAccount } from "@tenantry/tenancy";
import { LRUCache } from "lru-cache";

import type { TenantRecord } from "../tenancy-port";

const MAX_ENTRIES = 5000;
/** The generation scope of platform keys (tenant keys use their tenant id). */
export const PLATFORM_SCOPE = "platform";

interface Entry {
  account: ServiceAccount;
  generation: number;
}

export interface KeyCheckCache {
  get(key: string, tenant: TenantRecord | null): ServiceAccount | null;
  /** Read before checking the database; pass to `set` so a check that raced a revoke is not kept. */
  generation(scopeId: string): number;
  set(key: string, tenant: TenantRecord | null, account: ServiceAccount, generation: number): void;
  /** Forget the tenant's (or PLATFORM_SCOPE's) keys on this instance, after a revoke. */
  invalidate(scopeId: string): void;
}

const entryKey = (key: string, tenant: TenantRecord | null) =>
  tenant ? `${tenant.status}\n${tenant.updatedAt.getTime()}\n${key}` : key;
const scopeOf = (tenant: TenantRecord | null) => tenant?.id ?? PLATFORM_SCOPE;

export function createKeyCheckCache(ttlMs: number): KeyCheckCache {
  const entries = new LRUCache<string, Entry>({
    max: MAX_ENTRIES,
    ttl: Math.max(ttlMs, 1),
    ttlResolution: 0,
  });
  const generations = new Map<string, number>();
  const generation = (scopeId: string) => generations.get(scopeId) ?? 0;
  return {
    generation,
    get(key, tenant) {
      if (ttlMs <= 0) return null;
      const entry = entries.get(entryKey(key, tenant));
      return entry && entry.generation === generation(scopeOf(tenant)) ? entry.account : null;
    },
    set(key, tenant, account, gen) {
      if (ttlMs <= 0 || gen !== generation(scopeOf(tenant))) return;
      entries.set(entryKey(key, tenant), { account: Object.freeze(account), generation: gen });
    },
    invalidate(scopeId) {
      generations.set(scopeId, generation(scopeId) + 1);
    },
  };
}
