import type { Catalog } from "./catalog.js";

/** Deletes documents whose TTL-indexed date is older than expireAfterSeconds (loaded databases). */
export function sweepExpired(catalog: Catalog, now = Date.now()): number {
  let removed = 0;
  for (const db of catalog.loadedDatabases()) {
    for (const coll of db.collections.values()) {
      for (const index of coll.indexes.values()) {
        const seconds = index.spec.expireAfterSeconds;
        if (seconds === undefined || index.spec.fields.length !== 1) continue;
        const cutoff = new Date(now - seconds * 1000);
        // Dates sort after every other scalar type, so the range starts at the earliest date.
        const ids = [
          ...index.sorted.range(
            { value: new Date(-8.64e15), inclusive: true },
            { value: cutoff, inclusive: false },
          ),
        ];
        for (const id of ids) {
          catalog.remove(coll, id);
          removed++;
        }
      }
    }
  }
  return removed;
}
