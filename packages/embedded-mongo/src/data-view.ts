import { Query } from "mingo/query";
import { ObjectId } from "bson";
import { valueKey, valuesAtPath, type Doc } from "./bson-values.js";
import type { Catalog } from "./catalog.js";
import type { Collection } from "./collection.js";
import { planQuery } from "./query-planner.js";
import { mingoOptions } from "./mingo-options.js";
import { CommandError, ErrorCodes } from "./errors.js";

/**
 * What a command reads and writes through: the committed state directly, or a transaction's
 * snapshot plus its own uncommitted writes.
 */
export interface DataView {
  readonly inTransaction: boolean;
  /** Documents matching `filter`, in no particular order; stops after `limit` when given. */
  find(coll: Collection | undefined, filter: Doc, limit?: number): Doc[];
  insert(coll: Collection, doc: Doc): void;
  replace(coll: Collection, id: string, doc: Doc): void;
  remove(coll: Collection, id: string): void;
}

/** Work counters reported by serverStatus (metrics.queryExecutor), as MongoDB reports them. */
export const queryMetrics = { scanned: 0, scannedObjects: 0 };

export interface Matcher {
  test(doc: Doc): boolean;
}

function isSimpleScalar(v: unknown): boolean {
  return (
    typeof v === "string" ||
    typeof v === "number" ||
    typeof v === "boolean" ||
    v instanceof ObjectId ||
    v instanceof Date
  );
}

/**
 * Compiles a filter. Plain equality on scalars ({tenantId: x, email: y}), the most common
 * shape by far, is matched directly; anything else goes to mingo.
 */
export function compileFilter(filter: Doc): Matcher {
  const entries = Object.entries(filter);
  if (entries.every(([k, v]) => !k.startsWith("$") && isSimpleScalar(v))) {
    const fields = entries.map(([k, v]) => ({
      path: k.split("."),
      primitive: typeof v !== "object",
      value: v,
      key: valueKey(v),
    }));
    return {
      test: (doc) =>
        fields.every((f) => {
          for (const x of valuesAtPath(doc, f.path)) {
            if (f.primitive && x === f.value) return true;
            if (
              x !== undefined &&
              x !== null &&
              (typeof x === "object" || typeof f.value !== typeof x) &&
              valueKey(x) === f.key
            )
              return true;
          }
          return false;
        }),
    };
  }
  try {
    return new Query(filter, mingoOptions);
  } catch (err) {
    if (err instanceof CommandError) throw err;
    // mingo's wording, in MongoDB's ("unknown operator: $x", code 2).
    const message = (err as Error).message.replace(
      /^unknown query operator /,
      "unknown operator: ",
    );
    throw new CommandError(ErrorCodes.BadValue, message);
  }
}

/** No documents, once the filter has been checked: MongoDB refuses a bad filter on a missing collection too. */
export function validatedEmpty(filter: Doc): Doc[] {
  if (!isEmptyFilter(filter)) compileFilter(filter);
  return [];
}

export function isEmptyFilter(filter: Doc): boolean {
  for (const _ in filter) return false;
  return true;
}

/** Matches from the committed state, narrowed by an index when the filter allows. */
export function findCommitted(coll: Collection, filter: Doc, limit?: number): Doc[] {
  const out: Doc[] = [];
  const max = limit && limit > 0 ? limit : Infinity;
  const plan = planQuery(coll, filter);
  const empty = isEmptyFilter(filter);
  const query = empty || (plan.kind === "ids" && plan.exact) ? undefined : compileFilter(filter);
  if (plan.kind === "ids") {
    const ids = Array.from(plan.ids);
    queryMetrics.scanned += ids.length;
    for (const id of ids) {
      const doc = coll.docs.get(id);
      queryMetrics.scannedObjects++;
      if (doc && (!query || query.test(doc))) {
        out.push(doc);
        if (out.length >= max) break;
      }
    }
    return out;
  }
  for (const doc of coll.docs.values()) {
    queryMetrics.scannedObjects++;
    if (!query || query.test(doc)) {
      out.push(doc);
      if (out.length >= max) break;
    }
  }
  return out;
}

export class DirectView implements DataView {
  readonly inTransaction = false;
  constructor(private readonly catalog: Catalog) {}

  find(coll: Collection | undefined, filter: Doc, limit?: number): Doc[] {
    if (!coll) return validatedEmpty(filter);
    return findCommitted(coll, filter, limit);
  }

  insert(coll: Collection, doc: Doc): void {
    this.catalog.insert(coll, doc);
  }

  replace(coll: Collection, id: string, doc: Doc): void {
    this.catalog.replace(coll, id, doc);
  }

  remove(coll: Collection, id: string): void {
    this.catalog.remove(coll, id);
  }
}
