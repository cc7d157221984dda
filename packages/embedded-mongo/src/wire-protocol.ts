import { deserialize, serializeWithBufferAndIndex } from "bson";
import type { Document } from "bson";
import { decodeRequestDoc } from "./request-decode.js";
import { encodeCursorReply, serializeOptions } from "./stored-bson.js";

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

export const MAX_MESSAGE_SIZE = 48_000_000;
const MAX_BSON_SIZE = 16 * 1024 * 1024;
const HEADER_SIZE = 16;

const FLAG_CHECKSUM_PRESENT = 1;
const FLAG_MORE_TO_COME = 2;

interface MessageHeader {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A decoded client request: the command body with kind-1 document sequences merged in. */
export interface CommandRequest {
  header: MessageHeader;
  kind: "query" | "msg";
  body: Document;
  /** OP_MSG moreToCome: the client expects no reply. */
  moreToCome: boolean;
  /** Size of the whole message, used to skip size checks on small messages. */
  size: number;
}

/** Raised for messages that cannot be decoded; the connection answers or closes. */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

// Documents keep int64 promoted to numbers (as the driver does by default); Decimal128, Binary
// and ObjectId stay typed.
const deserializeOptions = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: false,
} as const;

function readHeader(buf: Buffer, offset: number): MessageHeader {
  return {
    length: buf.readInt32LE(offset),
    requestId: buf.readInt32LE(offset + 4),
    responseTo: buf.readInt32LE(offset + 8),
    opCode: buf.readInt32LE(offset + 12),
  };
}

function readBsonDoc(buf: Buffer, offset: number, end: number): { doc: Document; next: number } {
  if (offset + 5 > end) throw new ProtocolError("truncated BSON document", true);
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError("invalid BSON document size", true);
  if (buf[offset + size - 1] !== 0) throw new ProtocolError("BSON document not terminated", true);
  let doc = decodeRequestDoc(buf, offset, size);
  if (!doc) {
    try {
      doc = deserialize(buf.subarray(offset, offset + size), deserializeOptions);
    } catch (err) {
      throw new ProtocolError(`invalid BSON: ${(err as Error).message}`, false);
    }
  }
  return { doc, next: offset + size };
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError("unterminated cstring", true);
  return { value: buf.toString("utf8", offset, zero), next: zero + 1 };
}

/** Decodes one complete message (header included). */
export function decodeMessage(msg: Buffer): CommandRequest {
  const header = readHeader(msg, 0);
  const end = msg.length;
  if (header.opCode === OP_MSG) {
    if (end < HEADER_SIZE + 5) throw new ProtocolError("OP_MSG too short", true);
    const flags = msg.readUInt32LE(HEADER_SIZE);
    // Unknown required flag bits (0-15) must make the server reject the message.
    if ((flags & 0xfffc) !== 0)
      throw new ProtocolError(`unsupported OP_MSG flag bits ${flags}`, true);
    const sectionsEnd = flags & FLAG_CHECKSUM_PRESENT ? end - 4 : end;
    let offset = HEADER_SIZE + 4;
    let body: Document | undefined;
    const sequences: [string, Document[]][] = [];
    while (offset < sectionsEnd) {
      const kind = msg[offset];
      offset += 1;
      if (kind === 0) {
        if (body) throw new ProtocolError("OP_MSG with two body sections", true);
        const r = readBsonDoc(msg, offset, sectionsEnd);
        body = r.doc;
        offset = r.next;
      } else if (kind === 1) {
        if (offset + 4 > sectionsEnd) throw new ProtocolError("truncated document sequence", true);
        const size = msg.readInt32LE(offset);
        const seqEnd = offset + size;
        if (size < 5 || seqEnd > sectionsEnd)
          throw new ProtocolError("invalid document sequence size", true);
        const id = readCString(msg, offset + 4, seqEnd);
        let p = id.next;
        const docs: Document[] = [];
        while (p < seqEnd) {
          const r = readBsonDoc(msg, p, seqEnd);
          docs.push(r.doc);
          p = r.next;
        }
        sequences.push([id.value, docs]);
        offset = seqEnd;
      } else {
        throw new ProtocolError(`unknown OP_MSG section kind ${kind}`, true);
      }
    }
    if (!body) throw new ProtocolError("OP_MSG without body section", true);
    for (const [id, docs] of sequences) {
      if (id in body) throw new ProtocolError(`duplicate field ${id} in OP_MSG`, false);
      body[id] = docs;
    }
    return { header, kind: "msg", body, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0, size: end };
  }
  if (header.opCode === OP_QUERY) {
    let offset = HEADER_SIZE + 4;
    const ns = readCString(msg, offset, end);
    offset = ns.next + 8;
    const r = readBsonDoc(msg, offset, end);
    const dot = ns.value.indexOf(".");
    const db = dot > 0 ? ns.value.slice(0, dot) : ns.value;
    if (!ns.value.endsWith(".$cmd"))
      throw new ProtocolError("OP_QUERY is only supported for commands", false);
    let body = r.doc;
    // Legacy wrapped form: {$query: {...}, $readPreference: ...}
    if (body.$query && typeof body.$query === "object") body = { ...(body.$query as Document) };
    body.$db = db;
    return { header, kind: "query", body, moreToCome: false, size: end };
  }
  throw new ProtocolError(`unsupported opcode ${header.opCode}`, true);
}

let nextRequestId = 1;

function header(buf: Buffer, responseTo: number, opCode: number): void {
  buf.writeInt32LE(buf.length, 0);
  buf.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
}

// Replies are serialised straight after their header in one scratch buffer, then copied out
// once (bson's serialize would copy its result, and the header would need another copy).
// A reply is at most 16 MB plus the cursor envelope.
let scratch = Buffer.allocUnsafe(1024 * 1024);
const SCRATCH_MAX = MAX_BSON_SIZE + 1024 * 1024;

function encode(
  responseTo: number,
  opCode: number,
  prefix: number,
  reply: Document,
  writePrefix: (buf: Buffer) => void,
): Buffer {
  const cursorReply = encodeCursorReply(reply, prefix);
  if (cursorReply) {
    header(cursorReply, responseTo, opCode);
    writePrefix(cursorReply);
    return cursorReply;
  }
  for (;;) {
    try {
      const end = serializeWithBufferAndIndex(reply, scratch, {
        ...serializeOptions,
        index: prefix,
      });
      // Byte writes past the end are dropped silently, but the returned end still counts them.
      if (end >= scratch.length) throw new RangeError("reply larger than the scratch buffer");
      const out = Buffer.allocUnsafe(end + 1);
      scratch.copy(out, 0, 0, end + 1);
      header(out, responseTo, opCode);
      writePrefix(out);
      return out;
    } catch (err) {
      // Too small a scratch buffer shows as a RangeError: grow it, up to the largest reply.
      if (!(err instanceof RangeError) || scratch.length >= SCRATCH_MAX) throw err;
      scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, scratch.length * 4));
    }
  }
}

export function encodeOpMsgReply(responseTo: number, reply: Document): Buffer {
  return encode(responseTo, OP_MSG, HEADER_SIZE + 5, reply, (buf) => {
    buf.writeUInt32LE(0, HEADER_SIZE); // flags
    buf[HEADER_SIZE + 4] = 0; // section kind 0: the body
  });
}

export function encodeOpReply(responseTo: number, reply: Document): Buffer {
  return encode(responseTo, OP_REPLY, HEADER_SIZE + 20, reply, (buf) => {
    buf.writeInt32LE(8, HEADER_SIZE); // AwaitCapable
    buf.fill(0, HEADER_SIZE + 4, HEADER_SIZE + 12); // cursor id 0
    buf.writeInt32LE(0, HEADER_SIZE + 12); // starting from
    buf.writeInt32LE(1, HEADER_SIZE + 16); // number returned
  });
}

export { HEADER_SIZE };
