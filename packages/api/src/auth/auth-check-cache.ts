// Per-instance memory of a passed user + session check, so a burst of tenant calls with one token
// costs one pair of lookups per `ttlMs` instead of two queries per call. Only successes are kept.
// Writes on this instance that can end a session or change a user call `invalidate(tenantId)`;
// other instances see such writes within `ttlMs` (a suspension reaches them through the registry,
// which withTenant checks before this cache is consulted).
import { LRUCache } from "lru-cache";

import type { TenantRecord, UserDoc } from "../tenancy-port";

export const DEFAULT_AUTH_CHECK_CACHE_MS = 1000;
const MAX_ENTRIES = 5000;
/** Stale entries are dropped every this many sets, so memory follows the live sessions, not the max. */
const PURGE_EVERY_SETS = 256;

interface Entry {
  user: UserDoc;
  generation: number;
}

export interface AuthCheckCache {
  readonly ttlMs: number;
  /** The cached active user of a live session, or null (then check the database). */
  get(tenant: TenantRecord, sid: string, sub: string): UserDoc | null;
  /** Call before reading the database; pass to `set` so a read that raced a write is not kept. */
  generation(tenantId: string): number;
  set(
    tenant: TenantRecord,
    sid: string,
    sub: string,
    user: UserDoc,
    sessionExpiresAt: Date,
    generation: number,
  ): void;
  /** Forget every entry of the tenant on this instance (after a write to its users or sessions). */
  invalidate(tenantId: string): void;
  stats(): { size: number; hits: number; misses: number; invalidations: number };
}

/**
 * The registry record's status and updatedAt are part of the key, so a suspend/resume (or any
 * other change to the tenant record) seen through the registry poll drops entries on every instance.
 */
function keyOf(tenant: TenantRecord, sid: string, sub: string): string {
  return `${tenant.id}\n${tenant.status}\n${tenant.updatedAt.getTime()}\n${sid}\n${sub}`;
}

export function createAuthCheckCache(ttlMs: number = DEFAULT_AUTH_CHECK_CACHE_MS): AuthCheckCache {
  // ttlResolution 0: lru-cache otherwise arms a 1 ms timer to cache the clock, an extra event-loop
  // wake-up per call when calls arrive one at a time.
  const entries = new LRUCache<string, Entry>({
    max: MAX_ENTRIES,
    ttl: Math.max(ttlMs, 1),
    ttlResolution: 0,
  });
  let sets = 0;
  // Bumped on every invalidation; entries and in-flight checks from an older generation are void.
  const generations = new Map<string, number>();
  const counters = { hits: 0, misses: 0, invalidations: 0 };
  const generation = (tenantId: string) => generations.get(tenantId) ?? 0;

  return {
    ttlMs,
    generation,
    get(tenant, sid, sub) {
      if (ttlMs <= 0) return null;
      const key = keyOf(tenant, sid, sub);
      const entry = entries.get(key);
      if (!entry) {
        counters.misses++;
        return null;
      }
      if (entry.generation !== generation(tenant.id)) {
        entries.delete(key);
        counters.misses++;
        return null;
      }
      counters.hits++;
      return entry.user;
    },
    set(tenant, sid, sub, user, sessionExpiresAt, gen) {
      if (ttlMs <= 0 || gen !== generation(tenant.id)) return;
      // The TTL, or less when the session itself expires sooner (lru-cache drops it on get).
      const ttl = Math.min(ttlMs, sessionExpiresAt.getTime() - Date.now());
      if (ttl <= 0) return;
      if (++sets % PURGE_EVERY_SETS === 0) entries.purgeStale();
      // Shared by concurrent calls: frozen so a handler cannot change what the next call sees.
      entries.set(keyOf(tenant, sid, sub), { user: Object.freeze(user), generation: gen }, { ttl });
    },
    invalidate(tenantId) {
      counters.invalidations++;
      generations.set(tenantId, generation(tenantId) + 1);
    },
    stats: () => ({ size: entries.size, ...counters }),
  };
}
