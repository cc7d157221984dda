import { Decimal128, Long } from "bson";
import { Context } from "mingo";
import * as accumulatorOperators from "mingo/operators/accumulator";
import * as expressionOperators from "mingo/operators/expression";
import * as pipelineOperators from "mingo/operators/pipeline";
import * as projectionOperators from "mingo/operators/projection";
import * as queryOperators from "mingo/operators/query";
import { $eq, $gt, $gte, $in, $lt, $lte } from "mingo/operators/query/comparison";
import * as windowOperators from "mingo/operators/window";
import type { Options } from "mingo/types";
import { Query } from "mingo/query";
import { resolve } from "mingo/util";
import { compareValues, numericValue, valueKey } from "./bson-values.js";

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
    const base = original(selector, value, options);
    return (o) => base(o) || numericMatch(o, selector, value, test);
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
};

// mingo's own entry point merges its default operators over any given ones, so the full
// context is built here and used with the base Query / Aggregator / updater classes.
const context = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: pipelineOperators,
  projection: projectionOperators,
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
