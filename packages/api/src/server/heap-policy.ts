// How far V8 may grow the heap past what is live after a full collection. V8's own policy grows
// it up to 4× under a steady allocation rate, so a server whose live heap is bounded (handle LRU,
// registry and token caches) still shows RSS climbing for minutes and settling far above what it
// holds. Capping growth at 2× keeps RSS tracking the live heap; it is not a heap limit, so a
// bigger working set is never an out-of-memory crash, only more frequent collections.
import { setFlagsFromString } from "node:v8";

export const DEFAULT_HEAP_GROWTH_PERCENT = 100;

/** `percent` 0 leaves V8's own policy; otherwise the heap grows to at most (1 + percent/100)× live. */
export function applyHeapGrowthPolicy(percent: number = DEFAULT_HEAP_GROWTH_PERCENT): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 1000) {
    throw new Error(`heap growth percent must be an integer from 0 to 1000, got ${percent}`);
  }
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
