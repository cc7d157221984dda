import { CommandError, ErrorCodes } from "./errors.js";
import { ObjectId } from "bson";
import { isPlainObject, numericValue, type Doc } from "./bson-values.js";
import type { Collection } from "./collection.js";
import { valueKey } from "./bson-values.js";
import type { KeyBound } from "./sorted-key-list.js";

// Picks the ids a filter can possibly match from an index, so that equality and range queries
// on indexed fields never walk the whole collection. The full filter is still applied afterwards.

/**
 * `byId`: the ids come straight from an _id predicate (they may not exist). `exact`: the filter
 * is that equality alone, so every document found by id matches without testing it.
 */
type Plan =
  { kind: "ids"; ids: Iterable<string>; byId?: boolean; exact?: boolean } | { kind: "scan" };

/** Values usable as index keys: scalars whose equality is the same in an index and a query. */
function isIndexableScalar(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return true;
  return v instanceof ObjectId || v instanceof Date || numericValue(v) !== undefined;
}

/** The top-level predicates of a filter, with those of a top-level $and flattened in. */
function predicates(filter: Doc): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(filter)) {
    if (k === "$and" && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) out.push(...predicates(sub));
    } else if (!k.startsWith("$")) out.push([k, v]);
  }
  return out;
}

interface Condition {
  eq?: unknown[];
  lower?: KeyBound;
  upper?: KeyBound;
}

function conditionOf(v: unknown): Condition | undefined {
  if (isIndexableScalar(v)) return { eq: [v] };
  if (!isPlainObject(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length === 0 || !keys.every((k) => k.startsWith("$"))) return undefined;
  const c: Condition = {};
  for (const k of keys) {
    const x = v[k];
    if (k === "$eq" && isIndexableScalar(x)) c.eq = [x];
    else if (k === "$in" && Array.isArray(x) && x.length > 0 && x.every(isIndexableScalar))
      c.eq = x;
    else if ((k === "$gt" || k === "$gte") && isIndexableScalar(x))
      c.lower = { value: x, inclusive: k === "$gte" };
    else if ((k === "$lt" || k === "$lte") && isIndexableScalar(x))
      c.upper = { value: x, inclusive: k === "$lte" };
  }
  if (!c.eq && !c.lower && !c.upper) return undefined;
  return c;
}

// Ranges stay inside the bound's BSON type, as MongoDB's comparison operators do.
function typeFloor(v: unknown): KeyBound | undefined {
  if (numericValue(v) !== undefined) return { value: -Infinity, inclusive: true };
  if (typeof v === "string") return { value: "", inclusive: true };
  if (v instanceof Date) return { value: new Date(-8.64e15), inclusive: true };
  return undefined;
}

function typeCeiling(v: unknown): KeyBound | undefined {
  if (numericValue(v) !== undefined) return { value: "", inclusive: false };
  if (typeof v === "string") return { value: {}, inclusive: false };
  if (v instanceof Date) return { value: new Date(8.64e15), inclusive: true };
  return undefined;
}

/** `{$in: [...]}` or `{$eq: v}` and nothing else: conditionOf's eq is then the whole condition. */
function isIdListOnly(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === "$in" || keys[0] === "$eq");
}

export function planQuery(coll: Collection, filter: Doc): Plan {
  // The most common lookup, {_id: value}, without building anything.
  let only: string | undefined;
  for (const k in filter) {
    if (only !== undefined) {
      only = undefined;
      break;
    }
    only = k;
  }
  if (only === "_id" && isIndexableScalar(filter._id))
    return { kind: "ids", ids: [valueKey(filter._id)], byId: true, exact: true };
  const preds = predicates(filter);
  let rangePlan: Plan | undefined;
  for (const [path, v] of preds) {
    const cond = conditionOf(v);
    if (!cond) continue;
    if (path === "_id" && cond.eq) {
      // {_id: {$in: [...]}} alone (a batch delete, mongoose's populate) is as exact as {_id: v}:
      // testing each found document against the list again cost O(list) per document.
      const exact = only === "_id" && isIdListOnly(v);
      return { kind: "ids", ids: [...new Set(cond.eq.map(valueKey))], byId: true, exact };
    }
    for (const index of coll.indexes.values()) {
      if (index.firstPath !== path || !index.complete) continue;
      if (cond.eq) {
        const eq = cond.eq;
        if (eq.length === 1) return { kind: "ids", ids: index.lookupFirst(eq[0]) };
        const ids = new Set<string>();
        for (const x of eq) for (const id of index.lookupFirst(x)) ids.add(id);
        return { kind: "ids", ids };
      }
      if (!rangePlan) {
        const lower = cond.lower ?? typeFloor(cond.upper?.value);
        const upper = cond.upper ?? typeCeiling(cond.lower?.value);
        // A multikey index can list one document under several keys.
        const ids = index.multikey
          ? new Set(index.sorted.range(lower, upper))
          : index.sorted.range(lower, upper);
        rangePlan = { kind: "ids", ids };
      }
    }
  }
  return rangePlan ?? { kind: "scan" };
}

/** What a `hint` asks for: an index's key pattern (for its order) or a natural-order scan. */
export type Hint = { key: Doc } | { natural: number };

/**
 * Resolves a `hint` (an index name or key pattern, or {$natural: ±1}). Like MongoDB, a hint that
 * names no index of an existing collection is an error (2 BadValue); hidden indexes don't count.
 */
export function resolveHint(coll: Collection | undefined, hint: unknown): Hint | undefined {
  if (hint === undefined || hint === null || !coll) return undefined;
  if (isPlainObject(hint) && Object.keys(hint).length === 0) return undefined;
  if (isPlainObject(hint) && "$natural" in hint) return { natural: Number(hint.$natural) };
  const idIndex = typeof hint === "string" ? hint === "_id_" : isIdPattern(hint);
  if (idIndex) return { key: { _id: 1 } };
  for (const index of coll.indexes.values()) {
    if (index.spec.raw.hidden === true) continue;
    const key = index.spec.raw.key as Doc;
    if (typeof hint === "string" ? index.spec.name === hint : sameKey(key, hint)) return { key };
  }
  throw new CommandError(
    ErrorCodes.BadValue,
    "error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index",
  );
}

function isIdPattern(hint: unknown): boolean {
  return isPlainObject(hint) && Object.keys(hint).length === 1 && hint._id === 1;
}

function sameKey(a: Doc, b: unknown): boolean {
  if (!isPlainObject(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length && ka.every((k, i) => k === kb[i] && valueKey(a[k]) === valueKey(b[k]))
  );
}
