import { Query } from "mingo/query";
import { idFirst, inSourceOrder, isPlainObject, setField, type Doc } from "./bson-values.js";
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

/** A projection of top-level fields only, all 1/true or all 0/false (`_id` either way). */
interface PlainProjection {
  include: boolean;
  fields: Set<string>;
  id: boolean;
}

/**
 * The common projection (`{title: 1, body: 1}`, `{secret: 0}`), or undefined for anything that
 * needs mingo: dotted paths, operators, expressions, or a mix of inclusions and exclusions (which
 * mingo refuses as MongoDB does). Done by hand because mingo's general path costs about 17 µs
 * per document: measured through the driver, a find of the newest 21 of 43 notes with a
 * seven-field projection cost this server about 465 µs of CPU through mingo and 170 µs this way,
 * against 115 µs with no projection.
 */
function plainProjection(projection: Doc): PlainProjection | undefined {
  let include: boolean | undefined;
  let id = true;
  const fields = new Set<string>();
  for (const k of Object.keys(projection)) {
    const v = projection[k];
    if (!(typeof v === "boolean" || (typeof v === "number" && !Number.isNaN(v)))) return undefined;
    if (k === "" || k.includes(".") || k.startsWith("$")) return undefined;
    if (k === "_id") {
      id = Boolean(v);
      continue;
    }
    if (include !== undefined && include !== Boolean(v)) return undefined;
    include = Boolean(v);
    fields.add(k);
  }
  // Only `_id` named: `{_id: 1}` keeps just it, `{_id: 0}` drops just it.
  return { include: include ?? id, fields, id };
}

/** The fields of a stored document a plain projection keeps, `_id` first, then stored order. */
function projectPlain(doc: Doc, p: PlainProjection): Doc {
  const out: Doc = {};
  if (p.id && "_id" in doc) out._id = doc._id;
  for (const k of Object.keys(doc)) {
    if (k === "_id") continue;
    if (p.fields.has(k) === p.include) setField(out, k, doc[k]);
  }
  return out;
}

/** Applies a find projection; `filter` is needed for positional (`a.$`) projections. */
export function projectDocs(docs: Doc[], projection: Doc, filter: Doc): Doc[] {
  const plain = plainProjection(projection);
  if (plain) return docs.map((d) => projectPlain(d, plain));
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
