import { Aggregator } from "mingo/aggregator";
import { calculateObjectSize } from "bson";
import { compareValues, isPlainObject, valueKey, valuesAtPath, type Doc } from "../bson-values.js";
import {
  docArg,
  numberArg,
  stringArg,
  type CommandContext,
  type CommandHandler,
} from "../command-context.js";
import { validateCollectionName } from "../catalog.js";
import { CommandError, ErrorCodes } from "../errors.js";
import { mingoOptionsWith } from "../mingo-options.js";
import { compileFilter, isEmptyFilter, queryMetrics } from "../data-view.js";
import { projectDocs } from "../projection.js";
import { resolveHint } from "../query-planner.js";
import { currentOps } from "./admin.js";
import { writeStageOutput, writeStageOf } from "./aggregate-output.js";
import type { Collection } from "../collection.js";

/** The value a document sorts by: for arrays the smallest (ascending) or largest element. */
function sortKey(doc: Doc, path: string[], dir: number): unknown {
  const values = valuesAtPath(doc, path);
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = compareValues(values[i], best);
    if ((dir > 0 && c < 0) || (dir < 0 && c > 0)) best = values[i];
  }
  return best;
}

/** A stable sort with MongoDB's cross-type order (numbers of every BSON type compare by value). */
function sortDocs(docs: Doc[], sort: Doc): Doc[] {
  const fields = Object.entries(sort)
    .filter(([, v]) => v === 1 || v === -1)
    .map(([k, v]) => ({ path: k.split("."), dir: v as number }));
  if (fields.length === 0) return docs;
  const keyed = docs.map((doc, i) => ({
    doc,
    i,
    keys: fields.map((f) => sortKey(doc, f.path, f.dir)),
  }));
  keyed.sort((a, b) => {
    for (let f = 0; f < fields.length; f++) {
      const c = compareValues(a.keys[f], b.keys[f]);
      if (c !== 0) return c * (fields[f] as { dir: number }).dir;
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.doc);
}

/** Sorts, skips, limits and projects an already filtered result, as find does. */
export function shapeResult(
  docs: Doc[],
  opts: { filter: Doc; sort?: Doc; skip?: number; limit?: number; projection?: Doc },
): Doc[] {
  const sort = opts.sort ? { ...opts.sort } : undefined;
  let natural = 0;
  if (sort && "$natural" in sort) {
    natural = Number(sort.$natural);
    delete sort.$natural;
  }
  let out = natural < 0 ? [...docs].reverse() : docs;
  if (sort && !isEmptyFilter(sort)) out = sortDocs(out, sort);
  const skip = opts.skip ?? 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined;
  if (skip > 0 || limit !== undefined)
    out = out.slice(skip, limit !== undefined ? skip + limit : undefined);
  if (!opts.projection || isEmptyFilter(opts.projection)) return out;
  return projectDocs(out, opts.projection, opts.filter);
}

/**
 * "Newest N" queries: a single-field sort with a limit, on a field with a plain index, walks the
 * index in order and stops after `want` matches instead of sorting the whole collection.
 */
function indexOrdered(coll: Collection, filter: Doc, sort: Doc, want: number): Doc[] | undefined {
  const keys = Object.keys(sort);
  if (keys.length !== 1) return undefined;
  const field = keys[0] as string;
  const dir = sort[field];
  if (dir !== 1 && dir !== -1) return undefined;
  // With a filter on other indexed fields the planner's candidate set is usually smaller.
  if (Object.keys(filter).some((k) => k !== field)) return undefined;
  const index = [...coll.indexes.values()].find(
    (i) => i.firstPath === field && i.complete && !i.multikey,
  );
  if (!index) return undefined;
  const query = isEmptyFilter(filter) ? undefined : compileFilter(filter);
  const out: Doc[] = [];
  for (const id of dir === 1 ? index.sorted.range() : index.sorted.descending()) {
    const doc = coll.docs.get(id);
    queryMetrics.scannedObjects++;
    if (doc && (!query || query.test(doc))) {
      out.push(doc);
      if (out.length >= want) break;
    }
  }
  return out;
}

function collectionFor(ctx: CommandContext, field: string): { name: string; ns: string } {
  const name = validateCollectionName(ctx.db, stringArg(ctx.body, field));
  return { name, ns: `${ctx.db}.${name}` };
}

function validateSort(sort: Doc): void {
  for (const [k, v] of Object.entries(sort)) {
    if (isPlainObject(v) && "$meta" in v) continue;
    if (v !== 1 && v !== -1)
      throw new CommandError(
        ErrorCodes.BadValue,
        `$sort key ordering must be 1 (for ascending) or -1 (for descending): ${k}`,
      );
  }
}

const find: CommandHandler = (ctx) => {
  const { name, ns } = collectionFor(ctx, "find");
  const filter = docArg(ctx.body, "filter");
  const sort = docArg(ctx.body, "sort");
  validateSort(sort);
  const projection = docArg(ctx.body, "projection");
  const skip = numberArg(ctx.body, "skip") ?? 0;
  let limit = numberArg(ctx.body, "limit") ?? 0;
  let singleBatch = ctx.body.singleBatch === true;
  if (skip < 0) throw new CommandError(ErrorCodes.BadValue, "skip value must be non-negative");
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const batchSize = numberArg(ctx.body, "batchSize");
  if (batchSize !== undefined && batchSize < 0)
    throw new CommandError(ErrorCodes.BadValue, "batchSize value must be non-negative");
  const coll = ctx.catalog.collection(ctx.db, name);
  const hint = resolveHint(coll, ctx.body.hint);
  const hasSort = !isEmptyFilter(sort);
  // A hinted index gives its order, as MongoDB's index scan does.
  const order = hasSort || !hint ? sort : "key" in hint ? hint.key : { $natural: hint.natural };
  const ordered =
    hasSort && limit > 0 && coll && !ctx.view.inTransaction
      ? indexOrdered(coll, filter, sort, skip + limit)
      : undefined;
  // Without a sort, matching can stop as soon as skip + limit documents are found.
  const early = order === sort && !hasSort && limit > 0;
  const matched = ordered ?? ctx.view.find(coll, filter, early ? skip + limit : undefined);
  const docs = shapeResult(matched, {
    filter,
    sort: ordered ? undefined : order,
    skip,
    limit,
    projection,
  });
  return ctx.cursors.open(ns, docs, {
    batchSize: batchSize ?? (limit > 0 ? Math.min(limit, 101) : undefined),
    singleBatch,
    lsid: ctx.session?.id,
    // Unprojected committed documents are the stored objects themselves.
    stored: !ctx.view.inTransaction && isEmptyFilter(projection),
  });
};

const getMore: CommandHandler = (ctx) => {
  const raw = ctx.body.getMore;
  const id = typeof raw === "number" ? raw : typeof raw === "bigint" ? Number(raw) : NaN;
  if (!Number.isFinite(id))
    throw new CommandError(ErrorCodes.TypeMismatch, "getMore cursor id must be a long");
  const { ns } = collectionFor(ctx, "collection");
  return ctx.cursors.getMore(id, ns, numberArg(ctx.body, "batchSize"));
};

const killCursors: CommandHandler = (ctx) => {
  collectionFor(ctx, "killCursors");
  const cursors = ctx.body.cursors;
  if (!Array.isArray(cursors))
    throw new CommandError(ErrorCodes.TypeMismatch, "killCursors requires a 'cursors' array");
  return ctx.cursors.kill(cursors.map((c) => Number(c)));
};

const count: CommandHandler = (ctx) => {
  const { name } = collectionFor(ctx, "count");
  const filter = docArg(ctx.body, "query");
  const skip = numberArg(ctx.body, "skip") ?? 0;
  const limit = Math.abs(numberArg(ctx.body, "limit") ?? 0);
  const coll = ctx.catalog.collection(ctx.db, name);
  resolveHint(coll, ctx.body.hint);
  let n: number;
  if (isEmptyFilter(filter) && !ctx.view.inTransaction) n = coll?.docs.size ?? 0;
  else n = ctx.view.find(coll, filter, limit > 0 ? skip + limit : undefined).length;
  n = Math.max(0, n - skip);
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
};

const distinct: CommandHandler = (ctx) => {
  const { name } = collectionFor(ctx, "distinct");
  const key = ctx.body.key;
  if (typeof key !== "string" || key.length === 0)
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      "BSON field 'distinct.key' is missing or not a string",
    );
  const filter = docArg(ctx.body, "query");
  const coll = ctx.catalog.collection(ctx.db, name);
  const seen = new Map<string, unknown>();
  const path = key.split(".");
  for (const doc of ctx.view.find(coll, filter)) {
    for (const v of valuesAtPath(doc, path)) {
      if (v === undefined) continue;
      const k = valueKey(v);
      if (!seen.has(k)) seen.set(k, v);
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

function collStatsDoc(ctx: CommandContext, collName: string): Doc {
  const coll = ctx.catalog.collection(ctx.db, collName);
  const docs = ctx.view.find(coll, {});
  let size = 0;
  for (const d of docs) size += calculateObjectSize(d);
  return {
    ns: `${ctx.db}.${collName}`,
    count: docs.length,
    size,
    avgObjSize: docs.length ? Math.round(size / docs.length) : 0,
    storageSize: size,
    nindexes: coll ? coll.indexes.size + 1 : 0,
    totalIndexSize: 0,
    indexSizes: coll
      ? Object.fromEntries([["_id_", 0], ...[...coll.indexes.keys()].map((k) => [k, 0])])
      : {},
  };
}

const aggregate: CommandHandler = (ctx) => {
  const target = ctx.body.aggregate;
  const pipeline = ctx.body.pipeline;
  if (!Array.isArray(pipeline))
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      "'pipeline' option must be specified as an array",
    );
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1)
      throw new CommandError(
        ErrorCodes.Location40323,
        "A pipeline stage specification object must contain exactly one field.",
      );
  }
  const cursorOpts = docArg(ctx.body, "cursor");
  if (ctx.body.cursor === undefined && ctx.body.explain !== true) {
    throw new CommandError(
      ErrorCodes.FailedToParse,
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  let collName: string | undefined;
  let input: Doc[];
  let stages = pipeline as Doc[];
  const output = writeStageOf(stages);
  if (output) stages = stages.slice(0, -1);
  if (target === 1) {
    input = [];
    const first = stages[0];
    if (first && "$currentOp" in first) {
      if (ctx.db !== "admin")
        throw new CommandError(
          ErrorCodes.InvalidNamespace,
          "$currentOp must be run against the 'admin' database with {aggregate: 1}",
        );
      input = currentOps(ctx, isPlainObject(first.$currentOp) ? first.$currentOp : {});
      stages = stages.slice(1);
    }
  } else {
    collName = validateCollectionName(
      ctx.db,
      typeof target === "string" ? target : stringArg(ctx.body, "aggregate"),
    );
    const first = stages[0];
    if (first && "$collStats" in first) {
      const stats = collStatsDoc(ctx, collName);
      const spec = isPlainObject(first.$collStats) ? first.$collStats : {};
      const out: Doc = {
        ns: stats.ns,
        host: `${ctx.server.host}:${ctx.server.port}`,
        localTime: new Date(),
      };
      if ("storageStats" in spec) out.storageStats = stats;
      if ("count" in spec) out.count = stats.count;
      input = [out];
      stages = stages.slice(1);
    } else {
      const coll = ctx.catalog.collection(ctx.db, collName);
      resolveHint(coll, ctx.body.hint);
      // A leading $match goes through the query planner (and its indexes).
      if (
        first &&
        "$match" in first &&
        isPlainObject(first.$match) &&
        !JSON.stringify(Object.keys(first.$match)).includes("$expr")
      ) {
        input = ctx.view.find(coll, first.$match);
        stages = stages.slice(1);
      } else {
        input = ctx.view.find(coll, {});
      }
    }
  }
  const aggregator = new Aggregator(
    stages,
    mingoOptionsWith({
      collectionResolver: (name: string) => ctx.view.find(ctx.catalog.collection(ctx.db, name), {}),
    }),
  );
  let result: Doc[];
  try {
    result = aggregator.run<Doc>(input);
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /unregistered pipeline operator (\$\w+)/.exec(message);
    if (unknown)
      throw new CommandError(
        ErrorCodes.Location40324,
        `Unrecognized pipeline stage name: '${unknown[1]}'`,
      );
    throw new CommandError(ErrorCodes.BadValue, message);
  }
  const ns = `${ctx.db}.${collName ?? "$cmd.aggregate"}`;
  if (output) {
    writeStageOutput(ctx, output, result);
    return ctx.cursors.open(ns, [], {});
  }
  return ctx.cursors.open(ns, result, {
    batchSize: numberArg(cursorOpts, "batchSize"),
    lsid: ctx.session?.id,
  });
};

const collStats: CommandHandler = (ctx) => {
  const { name } = collectionFor(ctx, "collStats");
  if (!ctx.catalog.collection(ctx.db, name))
    throw new CommandError(
      ErrorCodes.NamespaceNotFound,
      `Collection [${ctx.db}.${name}] not found.`,
    );
  return { ...collStatsDoc(ctx, name), ok: 1 };
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getMore,
  killCursors,
  count,
  distinct,
  aggregate,
  collStats,
};
