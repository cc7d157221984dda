// tRPC output transformer that writes exactly superjson's wire format (clients keep `superjson`),
// with a fast walk for what responses are made of: plain objects, arrays, strings, finite numbers,
// booleans, null, undefined and valid Dates. Anything else (Map, Set, BigInt, RegExp, NaN, ±Infinity,
// -0, class instances such as ObjectId, sparse arrays, repeated or circular references, risky keys)
// makes the whole value go through superjson.serialize, so the output is always superjson's.
import superjson from "superjson";
import type { SuperJSONResult } from "superjson";

/** Thrown inside the walk when a value needs superjson itself; never escapes this module. */
class NeedsSuperjson extends Error {}
const FALLBACK = new NeedsSuperjson();

type Leaf = ["Date"] | ["undefined"];
/** superjson's annotation tree for a node: a leaf's type, or its children's, flattened by path. */
type Annotation = Leaf | Record<string, Leaf> | undefined;

interface WalkState {
  seen: Set<object>;
  /** Set by every walk() call: the annotation of the value it just walked. */
  ann: Annotation;
}

/** superjson's path-segment escaping (pathstringifier.escapeKey), skipped when nothing needs it. */
function escapeKey(key: string): string {
  return key.includes(".") || key.includes("\\")
    ? key.replace(/\\/g, "\\\\").replace(/\./g, "\\.")
    : key;
}

/**
 * Adds a child's annotation under `segment`, the way superjson's walker builds `innerAnnotations`
 * (same keys, same insertion order, so the JSON text is identical).
 */
function addChild(
  inner: Record<string, Leaf> | undefined,
  segment: string,
  ann: Annotation,
): Record<string, Leaf> | undefined {
  if (ann === undefined) return inner;
  const out = inner ?? {};
  if (Array.isArray(ann)) out[segment] = ann;
  else for (const k in ann) out[`${segment}.${k}`] = ann[k] as Leaf;
  return out;
}

/**
 * Returns the JSON form of `value` and leaves its annotation in `state.ann`. Subtrees without
 * annotations are returned as they are (JSON.stringify writes them exactly as superjson's copy
 * would be written), so a page of plain rows is not copied.
 */
function walk(value: unknown, state: WalkState): unknown {
  state.ann = undefined;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // NaN, ±Infinity and -0 carry a "number" annotation in superjson: leave them to it.
      if (!Number.isFinite(value) || (value === 0 && 1 / value < 0)) throw FALLBACK;
      return value;
    case "undefined":
      state.ann = ["undefined"];
      return null;
    case "object":
      break;
    default:
      throw FALLBACK; // bigint, symbol, function
  }
  if (value === null) return null;
  // superjson records every object's identity; a repeat means referentialEqualities (or a cycle).
  if (state.seen.has(value)) throw FALLBACK;
  state.seen.add(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw FALLBACK;
    state.ann = ["Date"];
    return value.toISOString();
  }
  let inner: Record<string, Leaf> | undefined;
  if (Array.isArray(value)) {
    const arr = value as unknown[];
    let out: unknown[] | null = null;
    for (let i = 0; i < arr.length; i++) {
      if (!(i in arr)) throw FALLBACK; // holes: superjson keeps them, JSON writes null
      const item = arr[i];
      const mapped = walk(item, state);
      inner = addChild(inner, String(i), state.ann);
      if (mapped !== item && out === null) out = arr.slice(0, i);
      if (out !== null) out.push(mapped);
    }
    state.ann = inner;
    return out ?? arr;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) throw FALLBACK;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  let out: Record<string, unknown> | null = null;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    // superjson refuses these (prototype pollution); let it say so in its own words.
    if (key === "__proto__" || key === "constructor" || key === "prototype") throw FALLBACK;
    const item = obj[key];
    const mapped = walk(item, state);
    inner = addChild(inner, escapeKey(key), state.ann);
    if (mapped !== item && out === null) {
      out = proto === null ? (Object.create(null) as Record<string, unknown>) : {};
      for (let j = 0; j < i; j++) {
        const k = keys[j] as string;
        out[k] = obj[k];
      }
    }
    if (out !== null) out[key] = mapped;
  }
  state.ann = inner;
  return out ?? obj;
}

export function serializeOutput(value: unknown): SuperJSONResult {
  const state: WalkState = { seen: new Set(), ann: undefined };
  let json: unknown;
  try {
    json = walk(value, state);
  } catch (err) {
    if (err instanceof NeedsSuperjson) return superjson.serialize(value);
    throw err;
  }
  const out = json as SuperJSONResult["json"];
  // A root leaf is a bare array in superjson (meta.values = ["Date"]); else the flattened paths.
  return state.ann === undefined ? { json: out } : { json: out, meta: { values: state.ann, v: 1 } };
}

/** For tRPC's `transformer.output`: our serializer, superjson's deserializer (used by clients). */
export const outputTransformer = {
  serialize: serializeOutput,
  deserialize: (payload: unknown): unknown => superjson.deserialize(payload as SuperJSONResult),
};
