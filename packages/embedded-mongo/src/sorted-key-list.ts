import { compareValues } from "./bson-values.js";

// An ordered multiset of (key, id) pairs kept in chunks, so inserts and removals move at most one
// chunk (not the whole index) and range scans start with two binary searches.

export interface KeyEntry {
  key: unknown;
  id: string;
}

const CHUNK = 512;

function compareEntries(a: KeyEntry, b: KeyEntry): number {
  const c = compareValues(a.key, b.key);
  if (c !== 0) return c;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface KeyBound {
  value: unknown;
  inclusive: boolean;
}

export class SortedKeyList {
  private chunks: KeyEntry[][] = [];
  size = 0;

  private chunkFor(entry: KeyEntry): number {
    // First chunk whose last entry is >= entry.
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid] as KeyEntry[];
      if (compareEntries(chunk[chunk.length - 1] as KeyEntry, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static position(chunk: KeyEntry[], entry: KeyEntry): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareEntries(chunk[mid] as KeyEntry, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(key: unknown, id: string): void {
    const entry = { key, id };
    this.size++;
    if (this.chunks.length === 0) {
      this.chunks.push([entry]);
      return;
    }
    const ci = this.chunkFor(entry);
    const chunk = this.chunks[ci] as KeyEntry[];
    chunk.splice(SortedKeyList.position(chunk, entry), 0, entry);
    if (chunk.length > CHUNK * 2)
      this.chunks.splice(ci, 1, chunk.slice(0, CHUNK), chunk.slice(CHUNK));
  }

  remove(key: unknown, id: string): void {
    if (this.chunks.length === 0) return;
    const entry = { key, id };
    const ci = this.chunkFor(entry);
    const chunk = this.chunks[ci] as KeyEntry[];
    const pos = SortedKeyList.position(chunk, entry);
    const found = chunk[pos];
    if (found && compareEntries(found, entry) === 0) {
      chunk.splice(pos, 1);
      this.size--;
      if (chunk.length === 0) this.chunks.splice(ci, 1);
    }
  }

  /** Ids whose key lies within the bounds, in key order. */
  *range(lower?: KeyBound, upper?: KeyBound): Generator<string> {
    let ci = 0;
    let pos = 0;
    if (lower) {
      // Position before every entry with key == lower.value ("" sorts before every id).
      const probe = { key: lower.value, id: "" };
      ci = this.chunkFor(probe);
      const chunk = this.chunks[ci];
      if (!chunk) return;
      pos = SortedKeyList.position(chunk, probe);
    }
    for (; ci < this.chunks.length; ci++, pos = 0) {
      const chunk = this.chunks[ci] as KeyEntry[];
      for (; pos < chunk.length; pos++) {
        const e = chunk[pos] as KeyEntry;
        if (lower && !lower.inclusive && compareValues(e.key, lower.value) === 0) continue;
        if (upper) {
          const c = compareValues(e.key, upper.value);
          if (c > 0 || (c === 0 && !upper.inclusive)) return;
        }
        yield e.id;
      }
    }
  }

  /** Every id in descending key order. */
  *descending(): Generator<string> {
    for (let ci = this.chunks.length - 1; ci >= 0; ci--) {
      const chunk = this.chunks[ci] as KeyEntry[];
      for (let pos = chunk.length - 1; pos >= 0; pos--) yield (chunk[pos] as KeyEntry).id;
    }
  }
}
