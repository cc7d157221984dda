import { Binary, DBRef, Decimal128, Long } from "bson";
import { Context } from "mingo";
import * as accumulatorOperators from "mingo/operators/accumulator";
import * as expressionOperators from "mingo/operators/expression";
import * as pipelineOperators from "mingo/operators/pipeline";
import * as projectionOperators from "mingo/operators/projection";
import * as queryOperators from "mingo/operators/query";
import { $eq, $gt, $gte, $in, $lt, $lte } from "mingo/operators/query/comparison";
import {
  $bitsAllClear,
  $bitsAllSet,
  $bitsAnyClear,
  $bitsAnySet,
} from "mingo/operators/query/bitwise";
import * as windowOperators from "mingo/operators/window";
import { $elemMatch } from "mingo/operators/query/array";
import type { Options } from "mingo/types";
import { Query } from "mingo/query";
import { resolve } from "mingo/util";
import {
  binaryBytes,
  bsonTypeAlias,
  compareValues,
  inSourceOrder,
  isPlainObject,
  numericValue,
  valueKey,
} from "./bson-values.js";
import { CommandError, ErrorCodes } from "./errors.js";

// mingo compares Decimal128 and Long objects by type name, so {x: {$gt: 2}} misses
// Decimal128("3.5") and {x: 1} misses Decimal128("1"). These wrappers keep mingo's result and,
// only when a BSON number object is involved, apply MongoDB's numeric comparison instead.

type Predicate = (o: unknown) => boolean;
type QueryOp = (selector: string, value: unknown, options: Options) => Predicate;

function isBsonNumber(v: unknown): boolean {
  return v instanceof Decimal128 || v instanceof Long;
}

/** The value at the path plus array elements one and two levels down, as MongoDB matches. */
function candidates(o: unknown, selector: string): unknown[] {
  const v = resolve(o as never, selector, { unwrapArray: true });
  if (!Array.isArray(v)) return [v];
  const out: unknown[] = [v];
  for (const x of v) {
    out.push(x);
    if (Array.isArray(x)) out.push(...(x as unknown[]));
  }
  return out;
}

function numericMatch(
  o: unknown,
  selector: string,
  value: unknown,
  test: (c: number) => boolean,
): boolean {
  for (const c of candidates(o, selector)) {
    if (!isBsonNumber(c) && !isBsonNumber(value)) continue;
    const n = numericValue(c);
    if (n !== undefined && numericValue(value) !== undefined && test(compareValues(c, value)))
      return true;
  }
  return false;
}

function comparison(original: QueryOp, test: (c: number) => boolean): QueryOp {
  return (selector, value, options) => {
    // mingo orders BinData byte-wise; MongoDB by length, then subtype, then bytes.
    if (value instanceof Binary)
      return (o) =>
        candidates(o, selector).some((c) => c instanceof Binary && test(compareValues(c, value)));
    const base = original(selector, value, options);
    return (o) => base(o) || numericMatch(o, selector, value, test);
  };
}

const TYPE_CODES: Record<number, string> = {
  1: "double",
  2: "string",
  3: "object",
  4: "array",
  5: "binData",
  6: "undefined",
  7: "objectId",
  8: "bool",
  9: "date",
  10: "null",
  11: "regex",
  12: "dbPointer",
  13: "javascript",
  14: "symbol",
  15: "javascriptWithScope",
  16: "int",
  17: "timestamp",
  18: "long",
  19: "decimal",
  [-1]: "minKey",
  127: "maxKey",
};
const TYPE_ALIASES = new Set([...Object.values(TYPE_CODES), "number"]);
const NUMBER_TYPES = new Set(["double", "int", "long", "decimal"]);

function typeAlias(t: unknown): string {
  if (typeof t === "string") {
    if (!TYPE_ALIASES.has(t))
      throw new CommandError(ErrorCodes.BadValue, `Unknown type name alias: ${t}`);
    return t;
  }
  const code = numericValue(t);
  const alias = code === undefined ? undefined : TYPE_CODES[code];
  if (!alias)
    throw new CommandError(ErrorCodes.BadValue, `Invalid numerical type code: ${String(t)}`);
  return alias;
}

/** $type with every BSON type: mingo knows neither ObjectId, BinData nor int vs double. */
const typeOp: QueryOp = (selector, value) => {
  const wanted = (Array.isArray(value) ? value : [value]).map(typeAlias);
  if (wanted.length === 0)
    throw new CommandError(ErrorCodes.FailedToParse, "$type must match at least one type");
  const is = (v: unknown): boolean => {
    const alias = bsonTypeAlias(v);
    return wanted.some((w) => w === alias || (w === "number" && NUMBER_TYPES.has(alias)));
  };
  return (o) => {
    const v = resolve(o as never, selector, { unwrapArray: true });
    if (v === undefined) return false;
    // An array field matches "array" itself, and any type one of its elements has.
    return is(v) || (Array.isArray(v) && v.some(is));
  };
};

/** $all is the $and of its elements, so it matches a scalar field equal to each of them. */
const allOp: QueryOp = (selector, value, options) => {
  if (!Array.isArray(value)) throw new CommandError(ErrorCodes.BadValue, "$all needs an array");
  if (value.length === 0) return () => false;
  const query = new Query({ $and: value.map((v) => ({ [selector]: v })) }, options);
  return (o) => query.test(o as Record<string, unknown>);
};

/** DBRef fields ($ref, $id, $db) named in a query are fields, not operators. */
function dbRefField(field: "$ref" | "$id" | "$db", prop: "collection" | "oid" | "db"): QueryOp {
  return (selector, value) => {
    const key = valueKey(value);
    return (o) =>
      candidates(o, selector).some((c) => {
        const x = c instanceof DBRef ? c[prop] : isPlainObject(c) ? c[field] : undefined;
        return x !== undefined && valueKey(x) === key;
      });
  };
}

/** The bit positions a $bits* operand names: a list, a number's set bits, or a BinData mask. */
function bitPositions(mask: unknown): number[] {
  if (Array.isArray(mask)) return mask.map(Number);
  if (mask instanceof Binary) {
    const out: number[] = [];
    binaryBytes(mask).forEach((byte, i) => {
      for (let b = 0; b < 8; b++) if (byte & (1 << b)) out.push(i * 8 + b);
    });
    return out;
  }
  const n = BigInt.asUintN(64, BigInt(Math.trunc(numericValue(mask) ?? 0)));
  const out: number[] = [];
  for (let b = 0; b < 64; b++) if ((n >> BigInt(b)) & 1n) out.push(b);
  return out;
}

/** $bits* also test BinData, bit 0 being the lowest bit of the first byte. */
function bitwise(original: QueryOp, all: boolean, set: boolean): QueryOp {
  return (selector, value, options) => {
    const base = original(selector, value instanceof Binary ? 0 : value, options);
    const positions = bitPositions(value);
    return (o) => {
      const v = resolve(o as never, selector);
      if (!(v instanceof Binary)) return !(value instanceof Binary) && base(o);
      const bytes = binaryBytes(v);
      const test = (p: number): boolean =>
        (((bytes[p >> 3] ?? 0) >> (p & 7)) & 1) === (set ? 1 : 0);
      return all ? positions.every(test) : positions.some(test);
    };
  };
}

const eqOp: QueryOp = (selector, value, options) => {
  const base = ($eq as unknown as QueryOp)(selector, value, options);
  const key = isBsonNumber(value) || typeof value === "number" ? valueKey(value) : undefined;
  return (o) =>
    base(o) ||
    (key !== undefined &&
      candidates(o, selector).some((c) =>
        isBsonNumber(c) || isBsonNumber(value) ? valueKey(c) === key : false,
      ));
};

const inOp: QueryOp = (selector, value, options) => {
  const base = ($in as unknown as QueryOp)(selector, value, options);
  const list = Array.isArray(value) ? value : [];
  const keys = new Set(list.filter((v) => typeof v === "number" || isBsonNumber(v)).map(valueKey));
  return (o) =>
    base(o) ||
    (keys.size > 0 &&
      candidates(o, selector).some((c) => isBsonNumber(c) && keys.has(valueKey(c))));
};

/** A DBRef given as an $elemMatch condition means its fields, not a document to compare. */
const elemMatchQuery: QueryOp = (selector, value, options) =>
  ($elemMatch as unknown as QueryOp)(
    selector,
    value instanceof DBRef
      ? { $ref: value.collection, $id: value.oid, ...(value.db ? { $db: value.db } : {}) }
      : value,
    options,
  );

const queryOps = {
  $eq: eqOp,
  $ne: ((selector, value, options) => {
    const eq = eqOp(selector, value, options);
    return (o) => !eq(o);
  }) as QueryOp,
  $in: inOp,
  $nin: ((selector, value, options) => {
    const inside = inOp(selector, value, options);
    return (o) => !inside(o);
  }) as QueryOp,
  $gt: comparison($gt as unknown as QueryOp, (c) => c > 0),
  $gte: comparison($gte as unknown as QueryOp, (c) => c >= 0),
  $lt: comparison($lt as unknown as QueryOp, (c) => c < 0),
  $lte: comparison($lte as unknown as QueryOp, (c) => c <= 0),
  $type: typeOp,
  $elemMatch: elemMatchQuery,
  $all: allOp,
  $ref: dbRefField("$ref", "collection"),
  $id: dbRefField("$id", "oid"),
  $db: dbRefField("$db", "db"),
  $bitsAllSet: bitwise($bitsAllSet as unknown as QueryOp, true, true),
  $bitsAnySet: bitwise($bitsAnySet as unknown as QueryOp, false, true),
  $bitsAllClear: bitwise($bitsAllClear as unknown as QueryOp, true, false),
  $bitsAnyClear: bitwise($bitsAnyClear as unknown as QueryOp, false, false),
};

const LOGICAL = new Set(["$and", "$or", "$nor"]);

/**
 * A test for array elements, as $elemMatch and $pull apply a condition: operators only
 * ({$gte: 4}) test the element's value, anything else tests the element as a document.
 */
export function elementMatcher(
  criteria: Record<string, unknown>,
  options: Partial<Options> = mingoOptions,
): (el: unknown) => boolean {
  const keys = Object.keys(criteria);
  if (keys.length > 0 && keys.every((k) => k.startsWith("$") && !LOGICAL.has(k))) {
    const q = new Query({ v: criteria }, options);
    return (el) => q.test({ v: el });
  }
  const q = new Query(criteria, options);
  return (el) =>
    el !== null &&
    typeof el === "object" &&
    !Array.isArray(el) &&
    q.test(el as Record<string, unknown>);
}

type ProjectStage = typeof pipelineOperators.$project;

/** $project gives `_id` first and the document's own field order, as MongoDB does. */
const projectStage: ProjectStage = (coll, expr, options) => {
  // The stage maps lazily, one document at a time: `source` is the input of each output.
  let source: unknown;
  const tracked = coll.map((o: unknown) => (source = o));
  return pipelineOperators
    .$project(tracked, expr, options)
    .map((o: unknown) =>
      isPlainObject(o) && isPlainObject(source) ? inSourceOrder(o, source) : o,
    );
};

type ProjectionOp = (obj: unknown, expr: unknown, field: string, options: Options) => unknown;

/** The first matching element, with operator-only conditions as MongoDB allows them. */
const elemMatchProjection: ProjectionOp = (obj, expr, field, options) => {
  const arr = resolve(obj as never, field);
  if (!Array.isArray(arr) || !isPlainObject(expr)) return undefined;
  const test = elementMatcher(expr, options);
  const hit = arr.find(test);
  return hit === undefined ? undefined : [hit];
};

// mingo's own entry point merges its default operators over any given ones, so the full
// context is built here and used with the base Query / Aggregator / updater classes.
const context = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: { ...pipelineOperators, $project: projectStage },
  projection: { ...projectionOperators, $elemMatch: elemMatchProjection },
  query: { ...queryOperators, ...queryOps },
  window: windowOperators,
});

// Server-side JavaScript ($where, $function, $accumulator) is off, as on a hardened mongod.
const baseOptions: Partial<Options> = { scriptEnabled: false, context };

/**
 * Options passed as plain objects make mingo copy every operator table on each new Query
 * (~20 µs, most of a findOne). Its internal ComputeOptions instances skip that copy; the class
 * is not exported, so it is taken from the options object mingo hands to an operator.
 */
interface ComputeOptionsLike extends Partial<Options> {
  update(locals: Record<string, unknown>): ComputeOptionsLike;
}
interface ComputeOptionsClass {
  init(o: Partial<Options>): ComputeOptionsLike;
}

function computeOptionsClass(): ComputeOptionsClass | undefined {
  let captured: Partial<ComputeOptionsClass> | undefined;
  const probe: QueryOp = (_selector, _value, options) => {
    captured = options.constructor as Partial<ComputeOptionsClass>;
    return () => true;
  };
  new Query(
    { x: { $probe: 1 } },
    { ...baseOptions, context: Context.init({ query: { $probe: probe } }) },
  );
  return typeof captured?.init === "function" ? (captured as ComputeOptionsClass) : undefined;
}

const ComputeOptionsCtor = computeOptionsClass();

function precomputedOptions(): Partial<Options> {
  return ComputeOptionsCtor ? ComputeOptionsCtor.init(baseOptions) : baseOptions;
}

export const mingoOptions: Partial<Options> = precomputedOptions();

/**
 * For mingo's updater, which rebuilds its context from a plain options object on every call:
 * only the query operators (arrayFilters, $pull conditions, positional matches) are needed, and
 * a small table is cheap to copy.
 */
export const updaterOptions: Partial<Options> = {
  scriptEnabled: false,
  context: Context.init({ query: { ...queryOperators, ...queryOps } }),
};
const updaterShared = ComputeOptionsCtor?.init(updaterOptions);

/**
 * Options for calling mingo's update operators directly (with the filter, for positional `$`),
 * or undefined when mingo's internals changed and its updater must be used instead.
 */
export function updateOperatorOptions(
  condition: Record<string, unknown> | undefined,
): Partial<Options> | undefined {
  if (!ComputeOptionsCtor || !updaterShared) return undefined;
  return ComputeOptionsCtor.init(updaterShared).update({
    condition: condition ?? {},
    updateConfig: { cloneMode: "copy" },
  });
}

/** Options with extra settings (e.g. a collection resolver for $lookup). */
export function mingoOptionsWith(extra: Partial<Options>): Partial<Options> {
  return { ...baseOptions, ...extra };
}
