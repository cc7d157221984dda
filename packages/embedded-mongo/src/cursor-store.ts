import { calculateObjectSize, Long } from "bson";
import type { Doc } from "./bson-values.js";
import { CommandError, ErrorCodes } from "./errors.js";
import { markStoredBatch } from "./stored-bson.js";

// Open cursors hold the remaining documents of a result; batches stop at the batch size or
// before the reply would exceed 16 MB.

const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 16 * 1024;
const DEFAULT_FIRST_BATCH = 101;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
  /** The transaction session that owns the cursor, if any. */
  lsid?: string;
  /** The documents are stored ones (their BSON can be kept for later replies). */
  stored: boolean;
}

export class CursorStore {
  private readonly cursors = new Map<number, OpenCursor>();
  private nextId = 1_000_000 + Math.floor(Math.random() * 1_000_000);

  get size(): number {
    return this.cursors.size;
  }

  private static takeBatch(docs: Doc[], pos: number, batchSize: number | undefined): Doc[] {
    const max = batchSize && batchSize > 0 ? batchSize : Infinity;
    const batch: Doc[] = [];
    let bytes = 0;
    while (pos + batch.length < docs.length && batch.length < max) {
      const doc = docs[pos + batch.length] as Doc;
      // The first document always goes (it is at most 16 MB); only later ones are measured.
      if (batch.length > 0 || pos + 1 < docs.length) {
        bytes += calculateObjectSize(doc, { ignoreUndefined: true });
        if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
      }
      batch.push(doc);
    }
    return batch;
  }

  /** The reply to find/aggregate/listX: the first batch and, if more remain, a cursor id. */
  open(
    ns: string,
    docs: Doc[],
    opts: { batchSize?: number; singleBatch?: boolean; lsid?: string; stored?: boolean },
  ): Doc {
    const first = CursorStore.takeBatch(docs, 0, opts.batchSize ?? DEFAULT_FIRST_BATCH);
    const stored = opts.stored === true;
    if (stored) markStoredBatch(first);
    let id = 0;
    if (first.length < docs.length && !opts.singleBatch) {
      id = this.nextId++;
      this.cursors.set(id, {
        ns,
        docs,
        pos: first.length,
        lastUsed: Date.now(),
        lsid: opts.lsid,
        stored,
      });
    }
    return { cursor: { firstBatch: first, id: Long.fromNumber(id), ns }, ok: 1 };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): Doc {
    const cursor = this.cursors.get(id);
    if (!cursor) throw new CommandError(ErrorCodes.CursorNotFound, `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new CommandError(
        ErrorCodes.Unauthorized,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    const batch = CursorStore.takeBatch(cursor.docs, cursor.pos, batchSize);
    if (cursor.stored) markStoredBatch(batch);
    cursor.pos += batch.length;
    cursor.lastUsed = Date.now();
    let replyId = id;
    if (cursor.pos >= cursor.docs.length) {
      this.cursors.delete(id);
      replyId = 0;
    }
    return { cursor: { nextBatch: batch, id: Long.fromNumber(replyId), ns }, ok: 1 };
  }

  kill(ids: number[]): Doc {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    return {
      cursorsKilled: killed,
      cursorsNotFound: notFound,
      cursorsAlive: [],
      cursorsUnknown: [],
      ok: 1,
    };
  }

  killForSession(lsid: string): void {
    for (const [id, c] of this.cursors) if (c.lsid === lsid) this.cursors.delete(id);
  }

  sweep(now = Date.now()): void {
    for (const [id, c] of this.cursors)
      if (now - c.lastUsed > IDLE_TIMEOUT_MS) this.cursors.delete(id);
  }
}
