import { Binary, ObjectId, UUID } from "bson";
import type { Document } from "bson";

// A decoder for the BSON that drivers send in ordinary requests (ASCII names and strings,
// numbers, booleans, ObjectIds, dates, null, UUIDs and other binaries, nested documents and
// arrays). It gives the same values as bson's deserialize with the wire options (int64 promoted
// to a number when it fits, binaries as Binary, subtype-4 UUIDs as UUID) at a fraction of its
// per-call cost. Anything else — another type, a non-ASCII byte, `__proto__`, a DBRef-like
// field, any irregularity in the bytes — makes it give up (undefined), and bson's deserialize
// decodes the document instead, with its own checks and errors.

const MAX_SAFE_HIGH = 0x200000; // |int64| < 2^53: the high 32 bits are within ±2^21

class GiveUp extends Error {}
const giveUp = new GiveUp();

function cstring(buf: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end && buf[i] !== 0) {
    if ((buf[i] as number) >= 0x80) throw giveUp;
    i++;
  }
  if (i >= end) throw giveUp;
  return i;
}

function ascii(buf: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) if ((buf[i] as number) >= 0x80) throw giveUp;
  return buf.toString("latin1", start, end);
}

/** Decodes the document or array at `start`, whose last byte is `end - 1`. */
function object(
  buf: Buffer,
  start: number,
  end: number,
  isArray: boolean,
  nested: boolean,
): Document {
  const out: Document = isArray ? [] : {};
  let p = start + 4;
  while (p < end - 1) {
    const type = buf[p++] as number;
    const nameEnd = cstring(buf, p, end - 1);
    let name = "";
    if (!isArray) {
      name = buf.toString("latin1", p, nameEnd);
      if (name === "__proto__") throw giveUp;
      // bson turns {$ref, $id, $db} shaped documents into DBRef: leave those to it.
      if (nested && (name === "$ref" || name === "$id" || name === "$db")) throw giveUp;
    }
    p = nameEnd + 1;
    let value: unknown;
    switch (type) {
      case 0x01:
        if (p + 8 > end) throw giveUp;
        value = buf.readDoubleLE(p);
        p += 8;
        break;
      case 0x02: {
        if (p + 4 > end) throw giveUp;
        const size = buf.readInt32LE(p);
        const s = p + 4;
        if (size <= 0 || s + size > end || buf[s + size - 1] !== 0) throw giveUp;
        value = ascii(buf, s, s + size - 1);
        p = s + size;
        break;
      }
      case 0x03:
      case 0x04: {
        if (p + 5 > end) throw giveUp;
        const size = buf.readInt32LE(p);
        if (size < 5 || p + size > end || buf[p + size - 1] !== 0) throw giveUp;
        value = object(buf, p, p + size, type === 0x04, true);
        p += size;
        break;
      }
      case 0x05: {
        if (p + 5 > end) throw giveUp;
        const size = buf.readInt32LE(p);
        const subtype = buf[p + 4] as number;
        const s = p + 5;
        // Subtype 2 (old binary) has a length inside its bytes: bson checks it.
        if (size < 0 || s + size > end || subtype === 2) throw giveUp;
        const binary = new Binary(buf.subarray(s, s + size), subtype);
        value = subtype === 4 && UUID.isValid(binary) ? binary.toUUID() : binary;
        p = s + size;
        break;
      }
      case 0x07:
        if (p + 12 > end) throw giveUp;
        value = new ObjectId(buf.subarray(p, p + 12)); // copied into the ObjectId's own fields
        p += 12;
        break;
      case 0x08: {
        const b = buf[p];
        if (b !== 0 && b !== 1) throw giveUp;
        value = b === 1;
        p += 1;
        break;
      }
      case 0x09:
      case 0x12: {
        if (p + 8 > end) throw giveUp;
        const low = buf.readUInt32LE(p);
        const high = buf.readInt32LE(p + 4);
        // Beyond 2^53 bson keeps a Long (int64) or rounds (date): leave those to it.
        if (high >= MAX_SAFE_HIGH || high < -MAX_SAFE_HIGH) throw giveUp;
        const n = high * 0x100000000 + low;
        value = type === 0x09 ? new Date(n) : n;
        p += 8;
        break;
      }
      case 0x0a:
        value = null;
        break;
      case 0x10:
        if (p + 4 > end) throw giveUp;
        value = buf.readInt32LE(p);
        p += 4;
        break;
      default:
        throw giveUp;
    }
    if (isArray) (out as unknown[]).push(value);
    else out[name] = value;
  }
  if (p !== end - 1) throw giveUp;
  return out;
}

/** The document of `size` bytes at `offset`, or undefined when bson's decoder must do it. */
export function decodeRequestDoc(buf: Buffer, offset: number, size: number): Document | undefined {
  try {
    return object(buf, offset, offset + size, false, false);
  } catch (err) {
    if (err === giveUp) return undefined;
    throw err;
  }
}
