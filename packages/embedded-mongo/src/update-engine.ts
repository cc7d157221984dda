import { Aggregator } from "mingo/aggregator";
import { update as applyOperators } from "mingo/updater";
import { Decimal128, Long, ObjectId } from "bson";
import {
  bsonTypeAlias,
  cloneDoc,
  deepEqual,
  formatValue,
  isPlainObject,
  setField,
  numericValue,
  valueAtPath,
  valueKey,
  type Doc,
} from "./bson-values.js";
import { compileFilter } from "./data-view.js";
import { CommandError, ErrorCodes } from "./errors.js";
import * as updateOperators from "mingo/operators/update";
import {
  elementMatcher,
  mingoOptions,
  updateOperatorOptions,
  updaterOptions,
} from "./mingo-options.js";

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

const POSITIONAL = /(^|\.)\$(\[[^\]]*\])?(\.|$)/;

function isPositional(path: string): boolean {
  return POSITIONAL.test(path);
}

type Container = Doc | unknown[];

function isIndex(seg: string): boolean {
  return /^\d+$/.test(seg);
}

function pathNotViable(field: string, parent: string, value: unknown): CommandError {
  return new CommandError(
    ErrorCodes.PathNotViable,
    `Cannot create field '${field}' in element {${parent}: ${formatValue(value)}}`,
  );
}

function childOf(c: Container, seg: string): unknown {
  if (Array.isArray(c)) return isIndex(seg) ? c[Number(seg)] : undefined;
  return Object.hasOwn(c, seg) ? c[seg] : undefined;
}

function putChild(c: Container, seg: string, value: unknown): void {
  if (!Array.isArray(c)) return setField(c, seg, value);
  const i = Number(seg);
  // As in MongoDB, setting past the end of an array pads it with nulls.
  while (c.length < i) c.push(null);
  c[i] = value;
}

/**
 * The container that holds a path's last segment, creating missing documents on the way when
 * `create` is set (undefined if one is missing otherwise). A scalar, or an array reached with a
 * field name, cannot hold a field: 28 PathNotViable, as in MongoDB.
 */
function parentOf(doc: Doc, segs: string[], create: boolean): Container | undefined {
  let cur: Container = doc;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as string;
    if (Array.isArray(cur) && !isIndex(seg)) throw pathNotViable(seg, segs[i - 1] ?? "", cur);
    if (i === segs.length - 1) return cur;
    const child = childOf(cur, seg);
    if (child === undefined) {
      if (!create) return undefined;
      const fresh: Doc = {};
      putChild(cur, seg, fresh);
      cur = fresh;
    } else if (Array.isArray(child) || isPlainObject(child)) cur = child;
    else throw pathNotViable(segs[i + 1] as string, seg, child);
  }
  return cur;
}

/** The value at a path, following array indexes but never expanding arrays. */
function exactValue(doc: Doc, segs: string[]): unknown {
  let cur: unknown = doc;
  for (const seg of segs) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = childOf(cur as Container, seg);
  }
  return cur;
}

const ARRAY_OPERATORS: Record<string, (path: string, v: unknown) => CommandError> = {
  $push: (path, v) =>
    new CommandError(
      ErrorCodes.BadValue,
      `The field '${path}' must be an array but is of type ${bsonTypeAlias(v)}`,
    ),
  $addToSet: (path, v) =>
    new CommandError(
      ErrorCodes.BadValue,
      `Cannot apply $addToSet to non-array field. Field named '${path}' has non-array type ${bsonTypeAlias(v)}`,
    ),
  $pull: () => new CommandError(ErrorCodes.BadValue, "Cannot apply $pull to a non-array value"),
  $pullAll: () => new CommandError(ErrorCodes.BadValue, "Cannot apply $pull to a non-array value"),
  $pop: (path, v) =>
    new CommandError(
      ErrorCodes.TypeMismatch,
      `Path '${path}' contains an element of non-array type '${bsonTypeAlias(v)}'`,
    ),
};

/** Refuses, as MongoDB does, what mingo would silently skip: array operators on non-arrays. */
function checkOperand(doc: Doc, op: string, path: string): void {
  const segs = path.split(".");
  const arrayError = ARRAY_OPERATORS[op];
  if (arrayError) {
    const v = exactValue(doc, segs);
    if (v !== undefined && !Array.isArray(v)) throw arrayError(path, v);
  }
  if (op !== "$unset" && op !== "$pull" && op !== "$pullAll" && op !== "$pop")
    parentOf(doc, segs, false);
}

function setAtPath(doc: Doc, path: string, value: unknown, isInsert: boolean): void {
  const segs = path.split(".");
  // Upserts insert, so they may create $-prefixed fields; an update of a stored document may not.
  if (!isInsert && (segs[0] as string).startsWith("$"))
    throw new CommandError(
      ErrorCodes.DollarPrefixedFieldName,
      `The dollar ($) prefixed field '${segs[0]}' in '${path}' is not valid for storage.`,
    );
  const parent = parentOf(doc, segs, true) as Container;
  putChild(parent, segs[segs.length - 1] as string, value);
}

function unsetAtPath(doc: Doc, path: string): void {
  const segs = path.split(".");
  const parent = exactValue(doc, segs.slice(0, -1));
  const last = segs[segs.length - 1] as string;
  if (Array.isArray(parent)) {
    // $unset of an array element leaves a null in its place.
    if (isIndex(last) && Number(last) < parent.length) parent[Number(last)] = null;
  } else if (isPlainObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
}

function renamePath(doc: Doc, from: string, to: unknown): void {
  if (typeof to !== "string")
    throw new CommandError(
      ErrorCodes.BadValue,
      `The 'to' field for $rename must be a string: ${from}: ${formatValue(to)}`,
    );
  if (isPositional(from) || isPositional(to))
    throw new CommandError(
      ErrorCodes.BadValue,
      `The source field for $rename may not be dynamic: ${from}`,
    );
  if (from === to)
    throw new CommandError(
      ErrorCodes.BadValue,
      `The source and target field for $rename must differ: ${from}: "${to}"`,
    );
  let cur: unknown = doc;
  const segs = from.split(".");
  for (const seg of segs.slice(0, -1)) {
    cur = isPlainObject(cur) && Object.hasOwn(cur, seg) ? cur[seg] : undefined;
    if (Array.isArray(cur))
      throw new CommandError(
        ErrorCodes.BadValue,
        `The source field cannot be an array element, '${from}' in doc with ${seg} set to an array`,
      );
  }
  const last = segs[segs.length - 1] as string;
  if (!isPlainObject(cur) || !Object.hasOwn(cur, last)) return;
  const value = cur[last];
  delete cur[last];
  setAtPath(doc, to, value, true);
}

function pullAtPath(doc: Doc, path: string, cond: unknown): void {
  const arr = exactValue(doc, path.split("."));
  if (arr === undefined) return;
  if (!Array.isArray(arr)) throw ARRAY_OPERATORS.$pull?.(path, arr) as CommandError;
  let test: (el: unknown) => boolean;
  if (cond instanceof RegExp) test = (el) => typeof el === "string" && cond.test(el);
  else if (isPlainObject(cond)) test = elementMatcher(cond);
  else {
    const key = valueKey(cond);
    test = (el) => valueKey(el) === key;
  }
  const kept = arr.filter((el) => !test(el));
  arr.length = 0;
  arr.push(...kept);
}

const FIRST_MATCH = /^(.*?)\.\$(?=\.|$)/;

/**
 * Replaces each `a.$` with the index of the first element of `a` the filter matched, taken from
 * the document before the update (as MongoDB does), so that `a.$.x` and `a.$.y` name one element.
 */
function resolvePositional(ops: Doc, doc: Doc, filter: Doc): void {
  let matcher: { test(d: Doc): boolean } | undefined;
  const indexes = new Map<string, number>();
  const indexOf = (prefix: string): number => {
    const known = indexes.get(prefix);
    if (known !== undefined) return known;
    matcher ??= compileFilter(filter);
    const segs = prefix.split(".");
    const arr = exactValue(doc, segs);
    const found = Array.isArray(arr)
      ? arr.findIndex((el) =>
          (matcher as { test(d: Doc): boolean }).test(withValueAt(doc, segs, [el])),
        )
      : -1;
    if (found < 0)
      throw new CommandError(
        ErrorCodes.BadValue,
        "The positional operator did not find the match needed from the query.",
      );
    indexes.set(prefix, found);
    return found;
  };
  for (const [op, args] of Object.entries(ops)) {
    if (!Object.keys(args as Doc).some((p) => FIRST_MATCH.test(p))) continue;
    const rewritten: Doc = {};
    for (const [path, v] of Object.entries(args as Doc)) {
      const m = FIRST_MATCH.exec(path);
      const key = m ? `${m[1]}.${indexOf(m[1] as string)}${path.slice(m[0].length)}` : path;
      setField(rewritten, key, v);
    }
    ops[op] = rewritten;
  }
}

/** A shallow copy of `doc` with the value at `segs` replaced, for testing one array element. */
function withValueAt(doc: Doc, segs: string[], value: unknown): Doc {
  const [head, ...rest] = segs as [string, ...string[]];
  const out: Doc = { ...doc };
  setField(
    out,
    head,
    rest.length === 0 ? value : withValueAt(isPlainObject(doc[head]) ? doc[head] : {}, rest, value),
  );
  return out;
}

/** $set, $unset, $rename and $pull on plain paths, done here; false for mingo to handle. */
function applyNatively(
  doc: Doc,
  op: string,
  path: string,
  value: unknown,
  isInsert: boolean,
): boolean {
  if (op === "$rename") {
    renamePath(doc, path, value);
    return true;
  }
  if (isPositional(path)) return false;
  switch (op) {
    case "$set":
      setAtPath(doc, path, cloneDoc(value), isInsert);
      return true;
    case "$unset":
      unsetAtPath(doc, path);
      return true;
    case "$pull":
      pullAtPath(doc, path, value);
      return true;
    default:
      checkOperand(doc, op, path);
      return false;
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
    if (Object.keys(ops).length === 0) return doc;
    resolvePositional(ops, doc, opts.filter ?? {});
    next = cloneDoc(doc);
    const positional = Object.values(ops).some((a) => Object.keys(a as Doc).some(isPositional));
    const direct = updateOperatorOptions(positional ? opts.filter : undefined);
    try {
      // One path at a time: the paths were checked for conflicts above, and mingo would call two
      // fields under one array element ("a.$.x", "a.$.y") a conflict.
      for (const [op, args] of Object.entries(ops)) {
        for (const [path, value] of Object.entries(args as Doc)) {
          if (applyNatively(next, op, path, value, opts.isInsert === true)) continue;
          const expr = { [path]: value };
          if (direct) {
            const operator = (updateOperators as unknown as Record<string, UpdateOperator>)[op];
            if (!operator)
              throw new CommandError(ErrorCodes.FailedToParse, `Unknown modifier: ${op}`);
            operator(expr, opts.arrayFilters ?? [], direct)(next);
          } else {
            applyOperators(next, { [op]: expr }, opts.arrayFilters, opts.filter, {
              cloneMode: "copy",
              queryOptions: updaterOptions,
            });
          }
        }
      }
    } catch (err) {
      if (err instanceof CommandError) throw err;
      const message = (err as Error).message;
      if (/Dollar \(\$\) prefixed field/.test(message))
        throw new CommandError(ErrorCodes.DollarPrefixedFieldName, message);
      throw new CommandError(ErrorCodes.BadValue, message);
    }
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
    if (!isPlainObject(cur[seg])) setField(cur, seg, {});
    cur = cur[seg] as Doc;
  }
  setField(cur, segs[segs.length - 1] as string, value);
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
