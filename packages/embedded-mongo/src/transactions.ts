import type { Doc } from "./bson-values.js";
import type { Catalog } from "./catalog.js";
import { idKeyOf, type Collection } from "./collection.js";
import {
  compileFilter,
  findCommitted,
  isEmptyFilter,
  queryMetrics,
  validatedEmpty,
  type DataView,
} from "./data-view.js";
import { CommandError, ErrorCodes, writeConflict } from "./errors.js";
import { planQuery } from "./query-planner.js";

// Snapshot isolation: a transaction reads the committed state as of its start (older versions
// come from each collection's history) plus its own buffered writes. The first transaction to
// write a document holds it until it ends; a second writer gets WriteConflict (112). At commit,
// any document changed by someone else since the snapshot also means WriteConflict.

export type TxnState = "active" | "committed" | "aborted";

/** Labelled so that the driver's withTransaction retries the whole transaction. */
export function noSuchTransaction(txnNumber: number): CommandError {
  return new CommandError(
    ErrorCodes.NoSuchTransaction,
    `Transaction with { txnNumber: ${txnNumber} } has been aborted.`,
    {
      labels: ["TransientTransactionError"],
    },
  );
}

export class Transaction implements DataView {
  readonly inTransaction = true;
  state: TxnState = "active";
  readonly startedAt = Date.now();
  /** Buffered writes: collection -> id -> new version (null = deleted). */
  readonly writes = new Map<Collection, Map<string, Doc | null>>();

  constructor(
    private readonly manager: TransactionManager,
    readonly sessionId: string,
    readonly txnNumber: number,
    readonly snapshotTs: number,
  ) {}

  private visible(coll: Collection, id: string): Doc | undefined {
    const overlay = this.writes.get(coll);
    if (overlay?.has(id)) return overlay.get(id) ?? undefined;
    return coll.versionAt(id, this.snapshotTs);
  }

  find(coll: Collection | undefined, filter: Doc, limit?: number): Doc[] {
    if (!coll) return validatedEmpty(filter);
    const overlay = this.writes.get(coll);
    if (!overlay && coll.lastWriteTs <= this.snapshotTs) return findCommitted(coll, filter, limit);
    // Candidates: what the (current) indexes find, plus every document whose version differs
    // from the current one for this snapshot (history) or this transaction (overlay).
    const plan = planQuery(coll, filter);
    const ids = new Set<string>(plan.kind === "ids" ? plan.ids : coll.docs.keys());
    // An _id never changes, so an _id lookup needs no other candidates.
    if (plan.kind !== "ids" || !plan.byId) {
      for (const id of coll.history.keys()) ids.add(id);
      if (overlay) for (const id of overlay.keys()) ids.add(id);
    }
    const query = isEmptyFilter(filter) ? undefined : compileFilter(filter);
    const max = limit && limit > 0 ? limit : Infinity;
    const out: Doc[] = [];
    for (const id of ids) {
      queryMetrics.scannedObjects++;
      const doc = this.visible(coll, id);
      if (doc && (!query || query.test(doc))) {
        out.push(doc);
        if (out.length >= max) break;
      }
    }
    return out;
  }

  private claim(coll: Collection, id: string): void {
    const holder = this.manager.locks.get(lockKey(coll, id));
    if ((holder && holder !== this) || coll.modifiedSince(id, this.snapshotTs))
      throw writeConflict();
    this.manager.locks.set(lockKey(coll, id), this);
  }

  private checkUnique(coll: Collection, doc: Doc): void {
    const overlay = this.writes.get(coll);
    const ignore = new Set(overlay?.keys() ?? []);
    coll.checkUnique(doc, ignore);
    if (!overlay) return;
    const id = idKeyOf(doc);
    for (const index of coll.indexes.values()) {
      if (!index.spec.unique) continue;
      const mine = index.entriesOf(doc);
      for (const [otherId, other] of overlay) {
        if (otherId === id || !other) continue;
        const keys = new Set(index.entriesOf(other).map((e) => e.key));
        const clash = mine.find((e) => keys.has(e.key));
        if (clash) throw coll.duplicateKeyError(index, clash.values);
      }
    }
  }

  private put(coll: Collection, id: string, doc: Doc | null): void {
    let overlay = this.writes.get(coll);
    if (!overlay) this.writes.set(coll, (overlay = new Map()));
    overlay.set(id, doc);
  }

  insert(coll: Collection, doc: Doc): void {
    const id = idKeyOf(doc);
    if (this.visible(coll, id)) throw coll.duplicateKeyError("_id_", [doc._id]);
    this.claim(coll, id);
    this.checkUnique(coll, doc);
    this.put(coll, id, doc);
  }

  replace(coll: Collection, id: string, doc: Doc): void {
    this.claim(coll, id);
    this.checkUnique(coll, doc);
    this.put(coll, id, doc);
  }

  remove(coll: Collection, id: string): void {
    this.claim(coll, id);
    this.put(coll, id, null);
  }

  /** Applies every buffered write at once, or none (WriteConflict / E11000). */
  commit(catalog: Catalog): void {
    if (this.state === "committed") return;
    if (this.state === "aborted") throw noSuchTransaction(this.txnNumber);
    try {
      for (const [coll, overlay] of this.writes) {
        if (catalog.collection(coll.db, coll.name) !== coll) throw writeConflict();
        const ignore = new Set(overlay.keys());
        for (const [id, doc] of overlay) {
          if (coll.modifiedSince(id, this.snapshotTs)) throw writeConflict();
          if (doc) coll.checkUnique(doc, ignore);
        }
      }
    } catch (err) {
      this.abort();
      if (err instanceof CommandError && err.code === ErrorCodes.DuplicateKey)
        throw writeConflict();
      throw err;
    }
    catalog.atomically(() => {
      // Deletions first, so a document re-created under the same unique key does not collide.
      for (const [coll, overlay] of this.writes) {
        for (const [id, doc] of overlay) if (!doc) catalog.remove(coll, id);
      }
      for (const [coll, overlay] of this.writes) {
        for (const [id, doc] of overlay) if (doc) catalog.replace(coll, id, doc);
      }
    });
    this.state = "committed";
    this.manager.finished(this);
  }

  abort(): void {
    if (this.state !== "active") return;
    this.state = "aborted";
    this.manager.finished(this);
  }
}

function lockKey(coll: Collection, id: string): string {
  return coll.uuid.toHexString() + "|" + id;
}

export class TransactionManager {
  readonly open = new Set<Transaction>();
  readonly locks = new Map<string, Transaction>();

  constructor(private readonly catalog: Catalog) {}

  begin(sessionId: string, txnNumber: number): Transaction {
    const txn = new Transaction(this, sessionId, txnNumber, this.catalog.clock);
    this.open.add(txn);
    this.catalog.keepHistory = true;
    return txn;
  }

  finished(txn: Transaction): void {
    if (!this.open.delete(txn)) return;
    for (const [coll, overlay] of txn.writes) {
      for (const id of overlay.keys()) {
        const key = lockKey(coll, id);
        if (this.locks.get(key) === txn) this.locks.delete(key);
      }
    }
    if (this.open.size === 0) {
      this.catalog.keepHistory = false;
      for (const coll of this.catalog.collectionsWithHistory) coll.history.clear();
      this.catalog.collectionsWithHistory.clear();
      return;
    }
    let min = Infinity;
    for (const t of this.open) min = Math.min(min, t.snapshotTs);
    for (const coll of this.catalog.collectionsWithHistory) {
      coll.trimHistory(min);
      if (coll.history.size === 0) this.catalog.collectionsWithHistory.delete(coll);
    }
  }

  /** Aborts transactions older than the lifetime limit (MongoDB's default is 60 s). */
  expire(maxAgeMs: number, now = Date.now()): void {
    for (const t of [...this.open]) if (now - t.startedAt > maxAgeMs) t.abort();
  }
}
