import { UUID } from "bson";
import { formatValue, valueKey, type Doc } from "./bson-values.js";
import { CommandError, ErrorCodes } from "./errors.js";
import { IndexStore, type IndexSpec } from "./index-store.js";

export function idKeyOf(doc: Doc): string {
  return valueKey(doc._id);
}

type Entries = { key: string; first: unknown; values: unknown[] }[];

/** A collection's committed documents (by _id) and its secondary indexes. */
export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, IndexStore>();
  readonly uuid: UUID;
  /** Logical time of the last committed change, for snapshot reads. */
  lastWriteTs = 0;
  /**
   * Earlier versions of changed documents, kept only while a transaction is open: for each id,
   * the changes in time order, each with the version it replaced (undefined: did not exist).
   */
  readonly history = new Map<string, { ts: number; prev: Doc | undefined }[]>();

  constructor(
    readonly db: string,
    public name: string,
    readonly options: Doc = {},
    uuid?: UUID,
  ) {
    this.uuid = uuid ?? new UUID();
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  duplicateKeyError(index: IndexStore | "_id_", values: unknown[]): CommandError {
    const fields = index === "_id_" ? [{ name: "_id", direction: 1 }] : index.spec.fields;
    const name = index === "_id_" ? "_id_" : index.spec.name;
    const keyPattern: Doc = {};
    const keyValue: Doc = {};
    fields.forEach((f, i) => {
      keyPattern[f.name] = f.direction;
      keyValue[f.name] = values[i] === undefined ? null : values[i];
    });
    const shown = fields.map((f, i) => `${f.name}: ${formatValue(values[i])}`).join(", ");
    return new CommandError(
      ErrorCodes.DuplicateKey,
      `E11000 duplicate key error collection: ${this.ns} index: ${name} dup key: { ${shown} }`,
      {
        extra: { keyPattern, keyValue },
      },
    );
  }

  /** Computes every index's entries for `doc` and throws E11000 if a unique one is taken. */
  private checkedEntries(doc: Doc, id: string): Entries[] {
    const all: Entries[] = [];
    for (const index of this.indexes.values()) {
      const entries = index.entriesOf(doc);
      if (index.spec.unique) {
        for (const e of entries)
          if (index.conflict(e.key, id)) throw this.duplicateKeyError(index, e.values);
      }
      all.push(entries);
    }
    return all;
  }

  insert(doc: Doc): void {
    const id = idKeyOf(doc);
    if (this.docs.has(id)) throw this.duplicateKeyError("_id_", [doc._id]);
    const entries = this.checkedEntries(doc, id);
    let i = 0;
    for (const index of this.indexes.values()) index.add(doc, id, entries[i++]);
    this.docs.set(id, doc);
  }

  replace(id: string, next: Doc): void {
    const prev = this.docs.get(id);
    if (!prev) return this.insert(next);
    const entries = this.checkedEntries(next, id);
    let i = 0;
    for (const index of this.indexes.values()) {
      index.remove(prev, id);
      index.add(next, id, entries[i++]);
    }
    this.docs.set(id, next);
  }

  remove(id: string): Doc | undefined {
    const prev = this.docs.get(id);
    if (!prev) return undefined;
    for (const index of this.indexes.values()) index.remove(prev, id);
    this.docs.delete(id);
    return prev;
  }

  recordChange(id: string, prev: Doc | undefined, ts: number): void {
    const list = this.history.get(id);
    if (list) list.push({ ts, prev });
    else this.history.set(id, [{ ts, prev }]);
  }

  /** The committed version of a document as of logical time `ts`. */
  versionAt(id: string, ts: number): Doc | undefined {
    const list = this.history.get(id);
    if (list) for (const change of list) if (change.ts > ts) return change.prev;
    return this.docs.get(id);
  }

  modifiedSince(id: string, ts: number): boolean {
    const list = this.history.get(id);
    return list !== undefined && (list[list.length - 1] as { ts: number }).ts > ts;
  }

  /** Drops versions no open snapshot (all at or after `minTs`) can still need. */
  trimHistory(minTs: number): void {
    for (const [id, list] of this.history) {
      let keep = 0;
      while (keep < list.length && (list[keep] as { ts: number }).ts <= minTs) keep++;
      if (keep === list.length) this.history.delete(id);
      else if (keep > 0) list.splice(0, keep);
    }
  }

  /** Builds a secondary index; fails with E11000 (and leaves nothing behind) on duplicates. */
  addIndex(spec: IndexSpec): void {
    const index = new IndexStore(spec);
    for (const [id, doc] of this.docs) {
      const entries = index.entriesOf(doc);
      if (spec.unique)
        for (const e of entries)
          if (index.conflict(e.key, id)) throw this.duplicateKeyError(index, e.values);
      index.add(doc, id, entries);
    }
    this.indexes.set(spec.name, index);
  }

  /** Checks a document against unique indexes without writing it (used by transactions). */
  checkUnique(doc: Doc, ignoreIds: Set<string>): void {
    const id = idKeyOf(doc);
    for (const index of this.indexes.values()) {
      if (!index.spec.unique) continue;
      for (const e of index.entriesOf(doc)) {
        if (index.conflictExcept(e.key, id, ignoreIds))
          throw this.duplicateKeyError(index, e.values);
      }
    }
  }
}
