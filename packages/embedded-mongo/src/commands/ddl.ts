import { Query } from "mingo/query";
import { calculateObjectSize } from "bson";
import { deepEqual, isPlainObject, type Doc } from "../bson-values.js";
import { docArg, stringArg, type CommandContext, type CommandHandler } from "../command-context.js";
import { validateCollectionName, validateDbName } from "../catalog.js";
import type { Collection } from "../collection.js";
import { CommandError, ErrorCodes } from "../errors.js";
import { INDEX_OPTIONS, parseIndexSpec } from "../index-spec.js";
import { mingoOptions } from "../mingo-options.js";

const ID_INDEX = { v: 2, key: { _id: 1 }, name: "_id_" };
/** Generic command fields that are not collection options. */
const SESSION_FIELDS = [
  "lsid",
  "txnNumber",
  "writeConcern",
  "autocommit",
  "startTransaction",
  "readConcern",
  "comment",
];

function collName(ctx: CommandContext, field: string): string {
  return validateCollectionName(ctx.db, stringArg(ctx.body, field));
}

function notFound(ns: string): CommandError {
  return new CommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ns}`);
}

function sameOptions(a: Doc, b: Doc): boolean {
  return INDEX_OPTIONS.every((k) =>
    deepEqual(
      a[k] ?? (k === "unique" || k === "sparse" ? false : undefined),
      b[k] ?? (k === "unique" || k === "sparse" ? false : undefined),
    ),
  );
}

const createIndexes: CommandHandler = (ctx) => {
  const name = collName(ctx, "createIndexes");
  const list = ctx.body.indexes;
  if (!Array.isArray(list) || list.length === 0)
    throw new CommandError(ErrorCodes.BadValue, "Must specify at least one index to create");
  const specs = list.map((raw) => {
    if (!isPlainObject(raw))
      throw new CommandError(ErrorCodes.TypeMismatch, "index specification must be an object");
    return parseIndexSpec(raw);
  });
  const existed = ctx.catalog.collection(ctx.db, name);
  const coll = existed ?? ctx.catalog.ensureCollection(ctx.db, name);
  const before = coll.indexes.size + 1;
  let created = 0;
  for (const spec of specs) {
    if (
      spec.name === "_id_" ||
      (spec.fields.length === 1 && spec.fields[0]?.name === "_id" && spec.fields[0].direction === 1)
    )
      continue;
    const sameName = coll.indexes.get(spec.name);
    if (sameName) {
      if (!deepEqual(sameName.spec.raw.key, spec.raw.key)) {
        throw new CommandError(
          ErrorCodes.IndexKeySpecsConflict,
          `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec.raw)}, existing index: ${JSON.stringify(sameName.spec.raw)}`,
        );
      }
      if (!sameOptions(sameName.spec.raw, spec.raw)) {
        throw new CommandError(
          ErrorCodes.IndexOptionsConflict,
          `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec.raw)}, existing index: ${JSON.stringify(sameName.spec.raw)}`,
        );
      }
      continue;
    }
    for (const other of coll.indexes.values()) {
      if (
        deepEqual(other.spec.raw.key, spec.raw.key) &&
        deepEqual(other.spec.partialFilter, spec.partialFilter)
      ) {
        throw new CommandError(
          ErrorCodes.IndexOptionsConflict,
          `Index already exists with a different name: ${other.spec.name}`,
        );
      }
    }
    ctx.catalog.addIndex(coll, spec);
    created++;
  }
  const reply: Doc = {
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.size + 1,
    createdCollectionAutomatically: !existed,
    ok: 1,
  };
  if (created === 0) reply.note = "all indexes already exist";
  return reply;
};

const listIndexes: CommandHandler = (ctx) => {
  const name = collName(ctx, "listIndexes");
  const coll = ctx.catalog.collection(ctx.db, name);
  const ns = `${ctx.db}.${name}`;
  if (!coll) throw notFound(ns);
  const docs = [ID_INDEX, ...[...coll.indexes.values()].map((i) => i.spec.raw)];
  return ctx.cursors.open(ns, docs, {
    batchSize: (docArg(ctx.body, "cursor").batchSize as number | undefined) ?? undefined,
  });
};

const dropIndexes: CommandHandler = (ctx) => {
  const name = collName(ctx, ctx.body.dropIndexes !== undefined ? "dropIndexes" : "deleteIndexes");
  const coll = ctx.catalog.collection(ctx.db, name);
  if (!coll) throw notFound(`${ctx.db}.${name}`);
  const was = coll.indexes.size + 1;
  const target = ctx.body.index;
  const names: string[] = [];
  if (target === "*") names.push(...coll.indexes.keys());
  else if (typeof target === "string") names.push(target);
  else if (Array.isArray(target)) names.push(...target.map(String));
  else if (isPlainObject(target)) {
    const found = [...coll.indexes.values()].find((i) => deepEqual(i.spec.raw.key, target));
    if (!found) {
      if (deepEqual(target, { _id: 1 }))
        throw new CommandError(ErrorCodes.InvalidOptions, "cannot drop _id index");
      throw new CommandError(
        ErrorCodes.IndexNotFound,
        `can't find index with key: ${JSON.stringify(target)}`,
      );
    }
    names.push(found.spec.name);
  } else
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      "dropIndexes 'index' must be a string, document or array",
    );
  for (const n of names) {
    if (n === "_id_") throw new CommandError(ErrorCodes.InvalidOptions, "cannot drop _id index");
    if (!coll.indexes.has(n))
      throw new CommandError(ErrorCodes.IndexNotFound, `index not found with name [${n}]`);
  }
  for (const n of names) ctx.catalog.dropIndex(coll, n);
  return { nIndexesWas: was, ok: 1 };
};

function collectionInfo(coll: Collection, nameOnly: boolean): Doc {
  // Time-series collections are stored as plain ones; they are reported as MongoDB reports them.
  const type = coll.options.timeseries ? "timeseries" : "collection";
  if (nameOnly) return { name: coll.name, type };
  if (type === "timeseries")
    return { name: coll.name, type, options: coll.options, info: { readOnly: false } };
  return {
    name: coll.name,
    type,
    options: coll.options,
    info: { readOnly: false, uuid: coll.uuid },
    idIndex: ID_INDEX,
  };
}

/** A time-series option with MongoDB's defaults filled in. */
function timeseriesOptions(raw: unknown): Doc {
  if (!isPlainObject(raw) || typeof raw.timeField !== "string")
    throw new CommandError(
      ErrorCodes.Location40414,
      "BSON field 'create.timeseries.timeField' is missing but a required field",
    );
  const granularity = raw.granularity ?? (raw.bucketMaxSpanSeconds ? undefined : "seconds");
  const out: Doc = { timeField: raw.timeField };
  if (raw.metaField !== undefined) out.metaField = raw.metaField;
  if (granularity !== undefined) out.granularity = granularity;
  const spans: Record<string, number> = { seconds: 3600, minutes: 86400, hours: 2592000 };
  out.bucketMaxSpanSeconds =
    raw.bucketMaxSpanSeconds ?? spans[typeof granularity === "string" ? granularity : ""] ?? 3600;
  if (raw.bucketRoundingSeconds !== undefined)
    out.bucketRoundingSeconds = raw.bucketRoundingSeconds;
  return out;
}

const COLLMOD_INDEX_OPTIONS = ["hidden", "expireAfterSeconds", "prepareUnique", "unique"] as const;

const collMod: CommandHandler = (ctx) => {
  const name = collName(ctx, "collMod");
  const coll = ctx.catalog.collection(ctx.db, name);
  if (!coll) throw notFound(`${ctx.db}.${name}`);
  const reply: Doc = {};
  const change = ctx.body.index;
  if (change !== undefined) {
    if (!isPlainObject(change))
      throw new CommandError(ErrorCodes.TypeMismatch, "collMod 'index' must be an object");
    const byName = typeof change.name === "string";
    const found = [...coll.indexes.values()].find((i) =>
      byName ? i.spec.name === change.name : deepEqual(i.spec.raw.key, change.keyPattern),
    );
    if (!found) {
      const isId = byName ? change.name === "_id_" : deepEqual(change.keyPattern, { _id: 1 });
      if (isId && change.hidden !== undefined)
        throw new CommandError(ErrorCodes.BadValue, "can't hide _id index");
      throw new CommandError(
        ErrorCodes.IndexNotFound,
        `cannot find index ${byName ? String(change.name) : JSON.stringify(change.keyPattern)} for ns ${coll.ns}`,
      );
    }
    const raw: Doc = { ...found.spec.raw };
    for (const k of COLLMOD_INDEX_OPTIONS) {
      if (change[k] === undefined) continue;
      const old = raw[k] ?? (k === "hidden" ? false : undefined);
      if (k === "hidden" && change[k] === false) delete raw[k];
      else raw[k] = change[k];
      if (!deepEqual(old, change[k])) {
        reply[`${k}_old`] = old;
        reply[`${k}_new`] = change[k];
      }
    }
    ctx.catalog.setIndexOptions(coll, found.spec.name, raw);
  }
  const options: Doc = {};
  for (const [k, v] of Object.entries(ctx.body)) {
    if (k === "collMod" || k === "index" || k.startsWith("$") || SESSION_FIELDS.includes(k))
      continue;
    options[k] = v;
  }
  if (Object.keys(options).length > 0) ctx.catalog.setCollectionOptions(coll, options);
  return { ...reply, ok: 1 };
};

const validate: CommandHandler = (ctx) => {
  const name = collName(ctx, "validate");
  const coll = ctx.catalog.collection(ctx.db, name);
  if (!coll)
    throw new CommandError(
      ErrorCodes.NamespaceNotFound,
      `Collection '${ctx.db}.${name}' does not exist to validate.`,
    );
  // Every index is checked against the documents: its keys must be exactly theirs.
  const keysPerIndex: Doc = { _id_: coll.docs.size };
  const indexDetails: Doc = { _id_: { valid: true } };
  const errors: string[] = [];
  for (const index of coll.indexes.values()) {
    let expected = 0;
    for (const doc of coll.docs.values()) expected += index.entriesOf(doc).length;
    const actual = index.keyCount;
    keysPerIndex[index.spec.name] = actual;
    indexDetails[index.spec.name] = { valid: actual === expected };
    if (actual !== expected)
      errors.push(`index ${index.spec.name} has ${actual} keys, its documents give ${expected}`);
  }
  return {
    ns: coll.ns,
    uuid: coll.uuid,
    nInvalidDocuments: 0,
    nNonCompliantDocuments: 0,
    nrecords: coll.docs.size,
    nIndexes: coll.indexes.size + 1,
    keysPerIndex,
    indexDetails,
    valid: errors.length === 0,
    repaired: false,
    warnings: [],
    errors,
    extraIndexEntries: [],
    missingIndexEntries: [],
    corruptRecords: [],
    ok: 1,
  };
};

const listCollections: CommandHandler = (ctx) => {
  const filter = docArg(ctx.body, "filter");
  const nameOnly = ctx.body.nameOnly === true;
  const db = ctx.catalog.database(ctx.db);
  let docs = db ? [...db.collections.values()].map((c) => collectionInfo(c, nameOnly)) : [];
  if (Object.keys(filter).length > 0) {
    const q = new Query(filter, mingoOptions);
    // The filter sees the full description even when only names are returned.
    docs = docs.filter((d) =>
      q.test(db ? collectionInfo(db.collections.get(d.name as string) as Collection, false) : d),
    );
  }
  return ctx.cursors.open(`${ctx.db}.$cmd.listCollections`, docs, {
    batchSize: docArg(ctx.body, "cursor").batchSize as number | undefined,
  });
};

const create: CommandHandler = (ctx) => {
  const name = collName(ctx, "create");
  if (ctx.body.viewOn !== undefined)
    throw new CommandError(
      ErrorCodes.CommandNotSupported,
      "views are not supported by the embedded server",
    );
  const options: Doc = {};
  for (const [k, v] of Object.entries(ctx.body)) {
    if (k !== "create" && !k.startsWith("$") && !SESSION_FIELDS.includes(k)) options[k] = v;
  }
  if (options.timeseries !== undefined) options.timeseries = timeseriesOptions(options.timeseries);
  ctx.catalog.createCollection(ctx.db, name, options);
  return { ok: 1 };
};

const drop: CommandHandler = (ctx) => {
  const name = collName(ctx, "drop");
  const coll = ctx.catalog.collection(ctx.db, name);
  if (!coll) throw new CommandError(ErrorCodes.NamespaceNotFound, "ns not found");
  const was = coll.indexes.size + 1;
  ctx.catalog.dropCollection(ctx.db, name);
  return { nIndexesWas: was, ns: coll.ns, ok: 1 };
};

const dropDatabase: CommandHandler = (ctx) => {
  ctx.catalog.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

function dbSizes(
  ctx: CommandContext,
  name: string,
): { objects: number; dataSize: number; collections: number; indexes: number } {
  const db = ctx.catalog.database(name);
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  for (const coll of db?.collections.values() ?? []) {
    objects += coll.docs.size;
    indexes += coll.indexes.size + 1;
    for (const d of coll.docs.values()) dataSize += calculateObjectSize(d);
  }
  return { objects, dataSize, collections: db?.collections.size ?? 0, indexes };
}

const listDatabases: CommandHandler = (ctx) => {
  const nameOnly = ctx.body.nameOnly === true;
  const filter = docArg(ctx.body, "filter");
  const names = ctx.catalog.databaseNames();
  // Sizes come from the sink (file sizes) so that listing never opens every database.
  let docs: Doc[] = names.map((name) =>
    nameOnly ? { name } : { name, sizeOnDisk: ctx.catalog.sizeOf(name), empty: false },
  );
  if (Object.keys(filter).length > 0) {
    const q = new Query(filter, mingoOptions);
    docs = docs.filter((d) => q.test(d));
  }
  const reply: Doc = { databases: docs, ok: 1 };
  if (!nameOnly) {
    const total = docs.reduce((s, d) => s + Number(d.sizeOnDisk), 0);
    reply.totalSize = total;
    reply.totalSizeMb = Math.round(total / 1048576);
  }
  return reply;
};

const dbStats: CommandHandler = (ctx) => {
  const s = dbSizes(ctx, ctx.db);
  return {
    db: ctx.db,
    collections: s.collections,
    views: 0,
    objects: s.objects,
    avgObjSize: s.objects ? s.dataSize / s.objects : 0,
    dataSize: s.dataSize,
    storageSize: s.dataSize,
    indexes: s.indexes,
    indexSize: 0,
    totalSize: s.dataSize,
    scaleFactor: 1,
    fsUsedSize: 0,
    fsTotalSize: 0,
    ok: 1,
  };
};

function splitNs(ns: unknown, field: string): [string, string] {
  if (typeof ns !== "string")
    throw new CommandError(ErrorCodes.TypeMismatch, `'${field}' must be of type String`);
  const dot = ns.indexOf(".");
  if (dot <= 0 || dot === ns.length - 1)
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid namespace specified '${ns}'`);
  return [validateDbName(ns.slice(0, dot)), ns.slice(dot + 1)];
}

const renameCollection: CommandHandler = (ctx) => {
  if (ctx.db !== "admin")
    throw new CommandError(
      ErrorCodes.Unauthorized,
      "renameCollection may only be run against the admin database.",
    );
  const [fromDb, from] = splitNs(ctx.body.renameCollection, "renameCollection");
  const [toDb, to] = splitNs(ctx.body.to, "to");
  ctx.catalog.renameCollection(fromDb, from, toDb, to, ctx.body.dropTarget === true);
  return { ok: 1 };
};

export const ddlCommands: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  listCollections,
  create,
  drop,
  dropDatabase,
  listDatabases,
  dbStats,
  dbstats: dbStats,
  renameCollection,
  collMod,
  validate,
};
