import { Query } from "mingo/query";
import { idFirst, inSourceOrder, isPlainObject, type Doc } from "./bson-values.js";
import { mingoOptions } from "./mingo-options.js";

// find projections as MongoDB 7.0 applies them, with mingo doing the field selection. mingo
// counts `$slice` as an inclusion; in MongoDB a projection of only `$slice` (and exclusions)
// returns every other field, so those are sliced here after mingo's exclusions.

function isSlice(v: unknown): v is { $slice: unknown } {
  return isPlainObject(v) && Object.keys(v).length === 1 && "$slice" in v;
}

/** Whether a projection value includes (1, true, an expression, $elemMatch) rather than excludes. */
function includes(key: string, v: unknown): boolean {
  if (isSlice(v)) return false;
  if (typeof v === "number" || typeof v === "boolean") return key !== "_id" && Boolean(v);
  return true;
}

function slice(arr: unknown[], spec: unknown): unknown[] {
  if (Array.isArray(spec)) {
    const skip = Number(spec[0]);
    const limit = Number(spec[1]);
    const start = skip < 0 ? Math.max(0, arr.length + skip) : skip;
    return arr.slice(start, start + limit);
  }
  const n = Number(spec);
  return n >= 0 ? arr.slice(0, n) : arr.slice(Math.max(0, arr.length + n));
}

function sliceAt(doc: unknown, segs: string[], spec: unknown): void {
  if (Array.isArray(doc)) {
    for (const el of doc) sliceAt(el, segs, spec);
    return;
  }
  if (!isPlainObject(doc)) return;
  const [head, ...rest] = segs as [string, ...string[]];
  const v = doc[head];
  if (rest.length > 0) sliceAt(v, rest, spec);
  else if (Array.isArray(v)) doc[head] = slice(v, spec);
}

/** Applies a find projection; `filter` is needed for positional (`a.$`) projections. */
export function projectDocs(docs: Doc[], projection: Doc, filter: Doc): Doc[] {
  const slices: [string, unknown][] = [];
  let inclusion = false;
  for (const [k, v] of Object.entries(projection)) {
    if (isSlice(v)) slices.push([k, v.$slice]);
    else if (includes(k, v)) inclusion = true;
  }
  // With an inclusion, mingo's own $slice handling matches MongoDB's.
  const rest: Doc = inclusion ? projection : { ...projection };
  if (!inclusion) for (const [k] of slices) delete rest[k];
  let out: Doc[];
  if (Object.keys(rest).length > 0) {
    const positional = Object.keys(rest).some((k) => k.endsWith(".$"));
    out = new Query(positional ? filter : {}, mingoOptions).find(docs, rest).all() as Doc[];
  } else out = docs.map((d) => ({ ...d }));
  if (!inclusion)
    for (const doc of out) for (const [k, spec] of slices) sliceAt(doc, k.split("."), spec);
  return out.map((d, i) => (inclusion ? inSourceOrder(d, docs[i] as Doc) : idFirst(d)));
}
