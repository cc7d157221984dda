import { Aggregator } from "mingo/aggregator";
import { update as applyOperators } from "mingo/updater";
import { Decimal128, Long, ObjectId } from "bson";
import {
  cloneDoc,
  deepEqual,
  isPlainObject,
  numericValue,
  valueAtPath,
  valueKey,
  type Doc,
} from "./bson-values.js";
import { CommandError, ErrorCodes } from "./errors.js";
import * as updateOperators from "mingo/operators/update";
import { mingoOptions, updateOperatorOptions, updaterOptions } from "./mingo-options.js";

type UpdateOperator = (
  expr: unknown,
  arrayFilters: Doc[],
  options: unknown,
) => (doc: Doc) => string[];

// Applies update documents (operators, replacements, pipelines) to copies of stored documents;
// stored documents are never changed in place, since cursors and snapshots may still hold them.

const SUPPORTED = new Set([
  "$set",
  "$unset",
  "$inc",
  "$mul",
  "$min",
  "$max",
  "$rename",
  "$push",
  "$addToSet",
  "$pop",
  "$pull",
  "$pullAll",
  "$currentDate",
  "$bit",
  "$setOnInsert",
]);

export type UpdateSpec = Doc | Doc[];

function isOperatorUpdate(u: Doc): boolean {
  const keys = Object.keys(u);
  return keys.length > 0 && (keys[0] as string).startsWith("$");
}

export function validateUpdate(u: unknown): UpdateSpec {
  if (Array.isArray(u)) {
    for (const stage of u) {
      if (!isPlainObject(stage) || Object.keys(stage).length !== 1)
        throw new CommandError(
          ErrorCodes.FailedToParse,
          "Each element of the 'pipeline' array must be an object",
        );
      const name = Object.keys(stage)[0] as string;
      if (
        !["$addFields", "$set", "$project", "$unset", "$replaceRoot", "$replaceWith"].includes(name)
      ) {
        throw new CommandError(
          ErrorCodes.InvalidOptions,
          `${name} is not allowed to be used within an update`,
        );
      }
    }
    return u as Doc[];
  }
  if (!isPlainObject(u))
    throw new CommandError(
      ErrorCodes.FailedToParse,
      "Update argument must be either an object or an array",
    );
  if (!isOperatorUpdate(u)) {
    for (const k of Object.keys(u)) {
      if (k.startsWith("$"))
        throw new CommandError(
          ErrorCodes.DollarPrefixedFieldName,
          `The dollar ($) prefixed field '${k}' in '${k}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
        );
    }
    return u;
  }
  const paths: string[] = [];
  for (const [op, args] of Object.entries(u)) {
    if (!op.startsWith("$"))
      throw new CommandError(
        ErrorCodes.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    if (!SUPPORTED.has(op))
      throw new CommandError(
        ErrorCodes.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    if (!isPlainObject(args))
      throw new CommandError(
        ErrorCodes.FailedToParse,
        `Modifiers operate on fields but we found type ${Array.isArray(args) ? "array" : typeof args} instead. For example: {$mod: {<field>: ...}} not {${op}: ${String(args)}}`,
      );
    for (const path of Object.keys(args)) {
      if (path === "" || path.split(".").some((s) => s === ""))
        throw new CommandError(ErrorCodes.Location40352, `An empty update path is not valid.`);
      paths.push(path);
      if (op === "$rename") paths.push(String(args[path]));
    }
  }
  // Two operators touching one path (or a path and its parent) conflict, as in MongoDB.
  const sorted = paths.map((p) => p.replace(/\.\$(\[[^\]]*\])?/g, "")).sort();
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as string;
    const b = sorted[i] as string;
    if (a === b || b.startsWith(a + "."))
      throw new CommandError(
        ErrorCodes.ConflictingUpdateOperators,
        `Updating the path '${b}' would create a conflict at '${a}'`,
      );
  }
  return u;
}

/** $inc / $mul involving Decimal128 or Long are computed here and turned into $set. */
function foldBsonNumbers(u: Doc, doc: Doc): void {
  for (const op of ["$inc", "$mul"]) {
    const args = u[op];
    if (!isPlainObject(args)) continue;
    for (const [path, v] of Object.entries(args)) {
      const cur = valueAtPath(doc, path);
      const decimal = v instanceof Decimal128 || cur instanceof Decimal128;
      if (!decimal && !(v instanceof Long) && !(cur instanceof Long)) continue;
      const a = cur === undefined || cur === null ? 0 : numericValue(cur);
      const b = numericValue(v);
      if (a === undefined || b === undefined) continue;
      const result = op === "$inc" ? a + b : a * b;
      u.$set = {
        ...(u.$set as Doc | undefined),
        [path]: decimal ? Decimal128.fromString(String(result)) : result,
      };
      delete args[path];
    }
    if (Object.keys(args).length === 0) delete u[op];
  }
}

function checkNumericOperands(u: Doc, doc: Doc): void {
  for (const op of ["$inc", "$mul"]) {
    const args = u[op];
    if (!isPlainObject(args)) continue;
    for (const [path, v] of Object.entries(args)) {
      if (typeof v !== "number")
        throw new CommandError(
          ErrorCodes.TypeMismatch,
          `Cannot ${op === "$inc" ? "increment" : "multiply"} with non-numeric argument: {${path}: ${JSON.stringify(v)}}`,
        );
      let cur: unknown = doc;
      for (const seg of path.split(".")) cur = isPlainObject(cur) ? cur[seg] : undefined;
      if (cur !== undefined && cur !== null && typeof cur !== "number") {
        throw new CommandError(
          ErrorCodes.TypeMismatch,
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${valueKey(doc._id).slice(1)}} has the field '${path}' of non-numeric type ${typeof cur}`,
        );
      }
    }
  }
}

function checkIdUntouched(ops: Doc, doc: Doc): void {
  for (const [op, args] of Object.entries(ops)) {
    for (const path of Object.keys(args as Doc)) {
      if (path !== "_id" && !path.startsWith("_id.")) continue;
      // Setting _id to its current value is allowed (and a no-op).
      if (op === "$set" && path === "_id" && valueKey((args as Doc)._id) === valueKey(doc._id))
        continue;
      throw new CommandError(
        ErrorCodes.ImmutableField,
        `Performing an update on the path '_id' would modify the immutable field '_id'`,
      );
    }
  }
}

/**
 * Returns the updated copy of `doc`, or `doc` itself when nothing changed.
 * `isInsert` applies $setOnInsert (upserts).
 */
export function applyUpdate(
  doc: Doc,
  u: UpdateSpec,
  opts: { arrayFilters?: Doc[]; filter?: Doc; isInsert?: boolean },
): Doc {
  let next: Doc;
  if (Array.isArray(u)) {
    const out = new Aggregator(u, mingoOptions).run([cloneDoc(doc)])[0];
    next = out ?? {};
  } else if (isOperatorUpdate(u)) {
    const ops: Doc = {};
    for (const [op, args] of Object.entries(u)) {
      if (op === "$setOnInsert") {
        if (opts.isInsert) ops.$set = { ...(ops.$set as Doc | undefined), ...(args as Doc) };
      } else if (op === "$set") {
        ops.$set = { ...(ops.$set as Doc | undefined), ...(args as Doc) };
      } else ops[op] = args;
    }
    for (const op of ["$inc", "$mul"]) if (isPlainObject(ops[op])) ops[op] = { ...ops[op] };
    foldBsonNumbers(ops, doc);
    checkNumericOperands(ops, doc);
    // An upsert may give the new document its _id ($set / $setOnInsert).
    if (!(opts.isInsert && doc._id === undefined)) checkIdUntouched(ops, doc);
    next = cloneDoc(doc);
    if (Object.keys(ops).length === 0) return doc;
    const positional = JSON.stringify(
      Object.values(ops).map((a) => Object.keys(a as Doc)),
    ).includes(".$");
    let changed = false;
    try {
      const direct = updateOperatorOptions(positional ? opts.filter : undefined);
      if (direct) {
        // Calling the operators directly skips the updater's per-call rebuild of its context.
        for (const [op, expr] of Object.entries(ops)) {
          const operator = (updateOperators as unknown as Record<string, UpdateOperator>)[op];
          if (!operator)
            throw new CommandError(ErrorCodes.FailedToParse, `Unknown modifier: ${op}`);
          if (operator(expr, opts.arrayFilters ?? [], direct)(next).length > 0) changed = true;
        }
      } else {
        changed =
          applyOperators(next, ops, opts.arrayFilters, positional ? opts.filter : undefined, {
            cloneMode: "copy",
            queryOptions: updaterOptions,
          }).length > 0;
      }
    } catch (err) {
      if (err instanceof CommandError) throw err;
      const message = (err as Error).message;
      if (/Dollar \(\$\) prefixed field/.test(message))
        throw new CommandError(ErrorCodes.DollarPrefixedFieldName, message);
      throw new CommandError(ErrorCodes.BadValue, message);
    }
    if (!changed) return doc;
  } else {
    next = { _id: doc._id, ...u };
    if (u._id === undefined) next._id = doc._id;
  }
  if (!opts.isInsert && valueKey(next._id) !== valueKey(doc._id)) {
    throw new CommandError(
      ErrorCodes.ImmutableField,
      `Performing an update on the path '_id' would modify the immutable field '_id'`,
    );
  }
  if (next._id === undefined && doc._id !== undefined) next = { _id: doc._id, ...next };
  if (deepEqual(next, doc)) return doc;
  return next;
}

/** The equality fields of a filter, as an upsert's starting document. */
function upsertSeed(filter: Doc): Doc {
  const seed: Doc = {};
  const visit = (f: Doc): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === "$and" && Array.isArray(v)) {
        for (const sub of v) if (isPlainObject(sub)) visit(sub);
        continue;
      }
      if (k.startsWith("$")) continue;
      let value: unknown = v;
      if (isPlainObject(v) && Object.keys(v).some((x) => x.startsWith("$"))) {
        if (!("$eq" in v)) continue;
        value = v.$eq;
      }
      if (value instanceof RegExp) continue;
      setPath(seed, k, cloneDoc(value));
    }
  };
  visit(filter);
  return seed;
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const segs = path.split(".");
  let cur = doc;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i] as string;
    if (!isPlainObject(cur[seg])) cur[seg] = {};
    cur = cur[seg] as Doc;
  }
  cur[segs[segs.length - 1] as string] = value;
}

/** Builds the document an upsert inserts. */
export function buildUpsert(filter: Doc, u: UpdateSpec, arrayFilters?: Doc[]): Doc {
  let doc: Doc;
  if (!Array.isArray(u) && !isOperatorUpdate(u)) {
    doc = { ...u };
    const seedId = upsertSeed(filter)._id;
    if (doc._id === undefined && seedId !== undefined) doc._id = seedId;
  } else {
    doc = applyUpdate(upsertSeed(filter), u, { arrayFilters, filter, isInsert: true });
  }
  return withId(doc);
}

/** Puts an _id first, generating an ObjectId when the document has none. */
export function withId(doc: Doc): Doc {
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === "_id") return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

export function validateIdValue(doc: Doc): void {
  const id = doc._id;
  if (Array.isArray(id))
    throw new CommandError(ErrorCodes.InvalidIdField, "The '_id' value cannot be of type array");
  if (id instanceof RegExp)
    throw new CommandError(ErrorCodes.InvalidIdField, "can't use a regex for _id");
  if (isPlainObject(id) && Object.keys(id).some((k) => k.startsWith("$"))) {
    throw new CommandError(
      ErrorCodes.DollarPrefixedFieldName,
      "_id fields may not contain '$'-prefixed fields",
    );
  }
}
