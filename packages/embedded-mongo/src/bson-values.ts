import {
  Binary,
  BSONSymbol,
  Code,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from "bson";

// Canonical forms and ordering of BSON values, as MongoDB compares them: 1, 1.0, Long(1) and
// Decimal128("1.0") are equal; null and missing are equal in indexes.

// bson decodes {$ref, $id, $db} subdocuments into DBRef objects, whose fields are named
// collection / oid / db. Read-only, non-enumerable aliases let dotted paths ("r.$id") reach them
// as MongoDB's do; serialisation is unchanged (it never looks at these names).
for (const [alias, prop] of [
  ["$ref", "collection"],
  ["$id", "oid"],
  ["$db", "db"],
] as const) {
  if (!Object.hasOwn(DBRef.prototype, alias))
    Object.defineProperty(DBRef.prototype, alias, {
      get(this: DBRef) {
        return this[prop];
      },
      enumerable: false,
      configurable: true,
    });
}

export type Doc = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Numeric value of any BSON number type, or undefined when v is not a number. */
export function numericValue(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Long) return v.toNumber();
  if (v instanceof Decimal128) return Number(v.toString());
  if (v instanceof Double || v instanceof Int32) return v.valueOf();
  return undefined;
}

function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 1;
  if (v instanceof MinKey) return 0;
  if (v instanceof MaxKey) return 100;
  if (numericValue(v) !== undefined) return 2;
  if (typeof v === "string") return 3;
  if (Array.isArray(v)) return 5;
  if (v instanceof Binary) return 6;
  if (v instanceof ObjectId) return 7;
  if (typeof v === "boolean") return 8;
  if (v instanceof Date) return 9;
  if (v instanceof Timestamp) return 10;
  if (v instanceof RegExp) return 11;
  if (typeof v === "object") return 4;
  return 12;
}

/** Total order over BSON values (MongoDB's comparison/sort order). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 2: {
      const x = numericValue(a) as number;
      const y = numericValue(b) as number;
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
      if (Number.isNaN(y)) return 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 4: {
      const ka = Object.keys(a as Doc);
      const kb = Object.keys(b as Doc);
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        const c = compareValues((a as Doc)[ka[i] as string], (b as Doc)[kb[i] as string]);
        if (c !== 0) return c;
        if (ka[i] !== kb[i]) return (ka[i] as string) < (kb[i] as string) ? -1 : 1;
      }
      return ka.length - kb.length;
    }
    case 5: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
        const c = compareValues(xa[i], xb[i]);
        if (c !== 0) return c;
      }
      return xa.length - xb.length;
    }
    case 6: {
      // BinData orders by length, then subtype, then bytes.
      const x = a as Binary;
      const y = b as Binary;
      if (x.position !== y.position) return x.position - y.position;
      if (x.sub_type !== y.sub_type) return x.sub_type - y.sub_type;
      return Buffer.compare(binaryBytes(x), binaryBytes(y));
    }
    case 7:
      return (a as ObjectId).toHexString() < (b as ObjectId).toHexString()
        ? -1
        : (a as ObjectId).equals(b as ObjectId)
          ? 0
          : 1;
    case 8:
      return Number(a) - Number(b);
    case 9:
      return (a as Date).getTime() - (b as Date).getTime();
    case 10:
      return (a as Timestamp).compare(b as Timestamp);
    case 11:
      return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
    default:
      return 0;
  }
}

function numberKey(n: number): string {
  if (Object.is(n, -0)) return "0";
  return String(n);
}

/** A string that is equal for two values exactly when MongoDB considers them equal. */
export function valueKey(v: unknown): string {
  if (v === undefined || v === null) return "N";
  switch (typeof v) {
    case "string":
      return "s" + v;
    case "number":
      return "n" + numberKey(v);
    case "boolean":
      return v ? "b1" : "b0";
    case "bigint":
      return "n" + v.toString();
    default:
      break;
  }
  if (v instanceof ObjectId) return "o" + v.toHexString();
  if (v instanceof Date) return "t" + v.getTime();
  if (v instanceof Long) {
    const n = v.toNumber();
    return "n" + (Number.isSafeInteger(n) ? numberKey(n) : v.toString());
  }
  if (v instanceof Decimal128) {
    const n = Number(v.toString());
    const s = v.toString();
    return Number.isFinite(n) && s.replace(/[^0-9]/g, "").replace(/^0+/, "").length <= 15
      ? "n" + numberKey(n)
      : "d" + s;
  }
  if (v instanceof Double || v instanceof Int32) return "n" + numberKey(v.valueOf());
  if (Array.isArray(v)) return "[" + v.map(valueKey).join("\u0001") + "]";
  if (v instanceof Binary) return "x" + v.sub_type + Buffer.from(v.buffer).toString("base64");
  if (v instanceof RegExp) return "r" + v.source + "/" + v.flags;
  if (v instanceof Timestamp) return "T" + v.t + ":" + v.i;
  if (v instanceof MinKey) return "m";
  if (v instanceof MaxKey) return "M";
  if (typeof v === "object") {
    let out = "{";
    for (const [k, x] of Object.entries(v as Doc))
      out += JSON.stringify(k) + ":" + valueKey(x) + "\u0002";
    return out + "}";
  }
  return "?" + typeof v;
}

/** The bytes a Binary holds (its buffer may be larger than its length). */
export function binaryBytes(b: Binary): Buffer {
  return Buffer.from(b.buffer.buffer, b.buffer.byteOffset, b.position);
}

/**
 * Sets a field as an own property. `__proto__` is an ordinary field name in BSON; plain
 * assignment would change the object's prototype instead.
 */
export function setField(obj: Doc, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else obj[key] = value;
}

/** Deep copy of a document's containers; BSON scalar objects are immutable and shared. */
export function cloneDoc<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneDoc) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) setField(out, k, cloneDoc(v[k]));
    return out as T;
  }
  return v;
}

/**
 * The `$type` alias of a value as the client would read it back. Plain numbers carry no int/double
 * tag once decoded: an integer in int32 range is reported as "int" (the driver sends such numbers
 * as int32), anything else as "double".
 */
export function bsonTypeAlias(v: unknown): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  switch (typeof v) {
    case "number":
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 && !Object.is(v, -0)
        ? "int"
        : "double";
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "bigint":
      return "long";
    default:
      break;
  }
  if (Array.isArray(v)) return "array";
  if (v instanceof ObjectId) return "objectId";
  if (v instanceof Date) return "date";
  if (v instanceof Binary) return "binData";
  // Timestamp extends Long in the bson package: test it first.
  if (v instanceof Timestamp) return "timestamp";
  if (v instanceof Long) return "long";
  if (v instanceof Int32) return "int";
  if (v instanceof Double) return "double";
  if (v instanceof Decimal128) return "decimal";
  if (v instanceof RegExp) return "regex";
  if (v instanceof MinKey) return "minKey";
  if (v instanceof MaxKey) return "maxKey";
  if (v instanceof Code) return v.scope ? "javascriptWithScope" : "javascript";
  if (v instanceof BSONSymbol) return "symbol";
  if (v instanceof DBRef) return "object";
  return "object";
}

/** A value written the way the shell prints it, for error messages. */
export function formatValue(v: unknown): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (Array.isArray(v)) return v.length === 0 ? "[]" : `[ ${v.map(formatValue).join(", ")} ]`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (isPlainObject(v)) {
    const parts = Object.keys(v).map((k) => `${k}: ${formatValue(v[k])}`);
    return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
  }
  if (v instanceof RegExp) return v.toString();
  try {
    return JSON.stringify(v) ?? "<value>";
  } catch {
    return "<value>";
  }
}

/** Structural equality, field order included (as BSON compares documents). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i] || !deepEqual(a[ka[i] as string], b[kb[i] as string])) return false;
    }
    return true;
  }
  if (typeof a !== typeof b) return false;
  if (typeof a === "object" && a !== null && b !== null) {
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    return valueKey(a) === valueKey(b);
  }
  return false;
}

/**
 * The values at a dotted path, descending through arrays as MongoDB does for index keys.
 * Arrays at the leaf contribute their elements (multikey); an empty result means missing.
 */
export function valuesAtPath(doc: unknown, path: string[], i = 0, out: unknown[] = []): unknown[] {
  if (i === path.length) {
    if (Array.isArray(doc)) {
      if (doc.length === 0) out.push(undefined);
      else for (const x of doc) out.push(x);
    } else out.push(doc);
    return out;
  }
  if (Array.isArray(doc)) {
    const seg = path[i] as string;
    if (/^\d+$/.test(seg)) {
      valuesAtPath(doc[Number(seg)], path, i + 1, out);
    } else {
      for (const el of doc) if (isPlainObject(el)) valuesAtPath(el, path, i, out);
    }
    return out;
  }
  // A DBRef is a subdocument in MongoDB: its $ref/$id/$db are reached through aliases.
  if (isPlainObject(doc) || doc instanceof DBRef) {
    const next = (doc as Doc)[path[i] as string];
    if (next === undefined) {
      if (out.length === 0) out.push(undefined);
      return out;
    }
    return valuesAtPath(next, path, i + 1, out);
  }
  if (out.length === 0) out.push(undefined);
  return out;
}

/** The single (non-expanded) value at a dotted path, or undefined. */
export function valueAtPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const seg of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Doc)[seg];
  }
  return cur;
}

/** `_id` first, as MongoDB returns it (mingo's projections append it after the other fields). */
export function idFirst(doc: Doc): Doc {
  if (!("_id" in doc) || Object.keys(doc)[0] === "_id") return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/**
 * A projection's output in MongoDB's field order: `_id`, then the fields in the source
 * document's order (mingo follows the projection's order), then computed fields.
 */
export function inSourceOrder(projected: Doc, source: Doc): Doc {
  const out: Doc = {};
  if ("_id" in projected) out._id = projected._id;
  for (const k of Object.keys(source))
    if (Object.hasOwn(projected, k)) setField(out, k, projected[k]);
  for (const k of Object.keys(projected))
    if (!Object.hasOwn(out, k)) setField(out, k, projected[k]);
  return out;
}
