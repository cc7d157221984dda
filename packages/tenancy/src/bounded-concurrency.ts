// Work over many tenants, a few at a time: each call holds a lease on a tenant's handle and a
// share of its cluster's pool, so fleet-wide loops (migrations, scripts, usage snapshots) never
// run them all at once.

/** The concurrency a fleet-wide run asked for, 4 by default, clamped to 1..64. */
export const fleetConcurrency = (requested?: number): number =>
  Math.min(Math.max(requested ?? 4, 1), 64);

/** Runs fn over items with at most `limit` calls in flight, in the items' order of start. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(limit, 1), items.length) }, worker));
}
