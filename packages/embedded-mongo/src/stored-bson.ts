import { Long, serialize } from "bson";
import type { Doc } from "./bson-values.js";

// Stored documents are never changed in place (an update stores a changed copy), so a stored
// document's BSON, once made (by the journal, or by the first reply that carries it), is kept
// and reused by every later reply instead of serialising the document again.

/** How replies and journal records are serialised: undefined fields left out, keys not checked (stored names may hold `$` and `.`). */
export const serializeOptions = { ignoreUndefined: true, checkKeys: false } as const;
const storedBson = new WeakMap<Doc, Uint8Array>();
/** Marks result batches made only of stored documents (find without projection, outside transactions). */
const STORED_BATCH = Symbol("storedBatch");
type MarkedBatch = Doc[] & { [STORED_BATCH]?: true };

export function serializeDoc(doc: Doc): Uint8Array {
  return serialize(doc, serializeOptions);
}

/** Records the BSON of a document that is being stored. */
export function rememberBson(doc: Doc, bytes: Uint8Array): void {
  storedBson.set(doc, bytes);
}

export function markStoredBatch(batch: Doc[]): void {
  (batch as MarkedBatch)[STORED_BATCH] = true;
}

function bsonOf(doc: Doc, stored: boolean): Uint8Array {
  let bytes = storedBson.get(doc);
  if (bytes) return bytes;
  bytes = serializeDoc(doc);
  if (stored) storedBson.set(doc, bytes);
  return bytes;
}

interface CursorReply {
  batchField: "firstBatch" | "nextBatch";
  batch: Doc[];
  id: Long;
  ns: string;
}

/** The reply as find/getMore make it, `{cursor: {firstBatch|nextBatch, id, ns}, ok: 1}`, or undefined. */
function asCursorReply(reply: Doc): CursorReply | undefined {
  let n = 0;
  for (const k in reply) if ((k !== "cursor" && k !== "ok") || ++n > 2) return undefined;
  const cursor = reply.cursor as Doc | undefined;
  if (reply.ok !== 1 || !cursor || typeof cursor !== "object") return undefined;
  let batchField: CursorReply["batchField"] | undefined;
  n = 0;
  for (const k in cursor) {
    n++;
    if (k === "firstBatch" || k === "nextBatch") batchField = k;
    else if (k !== "id" && k !== "ns") return undefined;
  }
  const { id, ns } = cursor;
  const batch = batchField && cursor[batchField];
  if (n !== 3 || !Array.isArray(batch) || !(id instanceof Long) || typeof ns !== "string")
    return undefined;
  return { batchField: batchField as CursorReply["batchField"], batch: batch as Doc[], id, ns };
}

const T_DOC = 0x03;
/** Element headers (type byte, name, NUL) of the envelope's fixed fields. */
const latin1 = (s: string): Buffer => Buffer.from(s, "latin1");
const CURSOR = latin1("\x03cursor\0");
const BATCH = { firstBatch: latin1("\x04firstBatch\0"), nextBatch: latin1("\x04nextBatch\0") };
const ID = latin1("\x12id\0");
const NS = latin1("\x02ns\0");
const OK = latin1("\x10ok\0");

function put(out: Buffer, bytes: Uint8Array, at: number): number {
  out.set(bytes, at);
  return at + bytes.length;
}
/** Larger replies take the general path, which refuses them with a clear error. */
const MAX_REPLY_BYTES = 16 * 1024 * 1024 + 16 * 1024;

/**
 * Serialises a cursor reply at `offset` of a new buffer of `offset` + its size (the caller
 * writes the message header before it), copying each document's stored BSON; undefined when
 * the reply is not a plain cursor reply. The bytes equal what bson's serialize would write.
 */
export function encodeCursorReply(reply: Doc, offset: number): Buffer | undefined {
  const r = asCursorReply(reply);
  if (!r) return undefined;
  const stored = (r.batch as MarkedBatch)[STORED_BATCH] === true;
  // Plain loops, no closures per call: the tsx loader wraps every function it creates to name it.
  const docs: Uint8Array[] = [];
  for (const d of r.batch) docs.push(bsonOf(d, stored));
  const nsBytes = Buffer.byteLength(r.ns);
  let arraySize = 5;
  for (let i = 0; i < docs.length; i++)
    arraySize += 2 + String(i).length + (docs[i] as Uint8Array).length;
  // cursor: {<batchField>: [...], id: int64, ns: string}
  const cursorSize =
    4 + (2 + r.batchField.length + arraySize) + (1 + 3 + 8) + (1 + 3 + 4 + nsBytes + 1) + 1;
  // {cursor: {...}, ok: 1 (int32, as bson writes the number 1)}
  const size = 4 + (1 + 7 + cursorSize) + (1 + 3 + 4) + 1;
  if (size > MAX_REPLY_BYTES) return undefined;
  const out = Buffer.allocUnsafe(offset + size);
  let p = out.writeInt32LE(size, offset);
  p = put(out, CURSOR, p);
  p = out.writeInt32LE(cursorSize, p);
  p = put(out, BATCH[r.batchField], p);
  p = out.writeInt32LE(arraySize, p);
  for (let i = 0; i < docs.length; i++) {
    out[p++] = T_DOC;
    if (i < 10) out[p++] = 0x30 + i;
    else p += out.write(String(i), p, "latin1");
    out[p++] = 0;
    p = put(out, docs[i] as Uint8Array, p);
  }
  out[p++] = 0;
  p = put(out, ID, p);
  p = out.writeInt32LE(r.id.low, p);
  p = out.writeInt32LE(r.id.high, p);
  p = put(out, NS, p);
  p = out.writeInt32LE(nsBytes + 1, p);
  p += out.write(r.ns, p, "utf8");
  out[p++] = 0;
  out[p++] = 0; // end of cursor
  p = put(out, OK, p);
  p = out.writeInt32LE(1, p);
  out[p++] = 0;
  if (p !== out.length) throw new Error(`cursor reply size mismatch (${p} != ${out.length})`);
  return out;
}
