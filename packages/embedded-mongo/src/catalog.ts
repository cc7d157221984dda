import { calculateObjectSize } from "bson";
import type { Doc } from "./bson-values.js";
import { Collection, idKeyOf } from "./collection.js";
import { CommandError, ErrorCodes } from "./errors.js";
import type { IndexSpec } from "./index-store.js";

/** Persists catalog and document changes; absent in in-memory mode. */
export interface ChangeSink {
  /** Loads a database's state the first time it is touched (lazy open). */
  load(db: string, into: Database): void;
  /** Names of databases that exist on disk. */
  databaseNames(): string[];
  hasDatabase(db: string): boolean;
  /** Bytes on disk for a database, without opening it. */
  sizeOf(db: string): number | undefined;
  append(db: string, record: Doc): void;
  dropDatabase(db: string): void;
}

export class Database {
  readonly collections = new Map<string, Collection>();
  constructor(readonly name: string) {}
}

const INVALID_DB_CHARS = /[/\\. "$*<>:|?\0]/;

export function validateDbName(name: unknown): string {
  if (
    typeof name !== "string" ||
    name.length === 0 ||
    name.length >= 64 ||
    INVALID_DB_CHARS.test(name)
  ) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid database name: '${String(name)}'`);
  }
  return name;
}

export function validateCollectionName(db: string, name: unknown): string {
  if (typeof name !== "string")
    throw new CommandError(
      ErrorCodes.InvalidNamespace,
      `collection name has invalid type ${typeof name}`,
    );
  if (
    name.length === 0 ||
    name.includes("\0") ||
    name.includes("$") ||
    name.startsWith(".") ||
    name.length + db.length > 255
  ) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${name}`);
  }
  return name;
}

/** All databases and collections; opens persisted databases lazily. */
export class Catalog {
  private readonly dbs = new Map<string, Database>();
  /** Logical clock: every committed change gets a larger value. */
  clock = 1;
  /** Set while transactions are open: committed changes then keep the versions they replace. */
  keepHistory = false;
  readonly collectionsWithHistory = new Set<Collection>();
  /** Groups journal records (a transaction's writes) into one record per database. */
  private batch: Map<string, Doc[]> | undefined;

  constructor(readonly sink?: ChangeSink) {}

  /** Returns the database if it exists (in memory or on disk), opening it on first use. */
  database(name: string): Database | undefined {
    let db = this.dbs.get(name);
    if (db) return db;
    if (!this.sink?.hasDatabase(name)) return undefined;
    db = new Database(name);
    this.dbs.set(name, db);
    this.sink.load(name, db);
    return db;
  }

  private databaseOrCreate(name: string): Database {
    let db = this.database(name);
    if (!db) {
      validateDbName(name);
      db = new Database(name);
      this.dbs.set(name, db);
    }
    return db;
  }

  loadedDatabases(): Iterable<Database> {
    return this.dbs.values();
  }

  databaseNames(): string[] {
    const names = new Set<string>();
    for (const [name, db] of this.dbs) if (db.collections.size > 0) names.add(name);
    for (const name of this.sink?.databaseNames() ?? []) {
      if (!this.dbs.has(name)) names.add(name);
    }
    return [...names].sort();
  }

  sizeOf(name: string): number {
    const onDisk = this.sink?.sizeOf(name);
    if (onDisk !== undefined) return onDisk;
    let size = 0;
    for (const coll of this.dbs.get(name)?.collections.values() ?? []) {
      for (const doc of coll.docs.values()) size += calculateObjectSize(doc);
    }
    return size;
  }

  collection(db: string, name: string): Collection | undefined {
    return this.database(db)?.collections.get(name);
  }

  /** Implicit creation, as inserts, upserts and createIndexes do. */
  ensureCollection(db: string, name: string): Collection {
    const existing = this.collection(db, name);
    if (existing) return existing;
    return this.createCollection(db, name, {});
  }

  createCollection(dbName: string, name: string, options: Doc): Collection {
    validateCollectionName(dbName, name);
    const db = this.databaseOrCreate(dbName);
    if (db.collections.has(name))
      throw new CommandError(
        ErrorCodes.NamespaceExists,
        `Collection ${dbName}.${name} already exists.`,
      );
    const coll = new Collection(dbName, name, options);
    db.collections.set(name, coll);
    this.sink?.append(dbName, { op: "create", coll: name, options, uuid: coll.uuid });
    return coll;
  }

  dropCollection(dbName: string, name: string): boolean {
    const db = this.database(dbName);
    if (!db?.collections.has(name)) return false;
    db.collections.delete(name);
    this.sink?.append(dbName, { op: "drop", coll: name });
    return true;
  }

  dropDatabase(name: string): void {
    const existed = this.database(name);
    this.dbs.delete(name);
    if (existed) this.sink?.dropDatabase(name);
  }

  renameCollection(
    fromDb: string,
    from: string,
    toDb: string,
    to: string,
    dropTarget: boolean,
  ): void {
    const source = this.collection(fromDb, from);
    if (!source)
      throw new CommandError(ErrorCodes.NamespaceNotFound, "source namespace does not exist");
    validateCollectionName(toDb, to);
    const target = this.collection(toDb, to);
    if (target) {
      if (!dropTarget)
        throw new CommandError(ErrorCodes.NamespaceExists, "target namespace exists");
      this.dropCollection(toDb, to);
    }
    if (fromDb === toDb) {
      const db = this.databaseOrCreate(fromDb);
      db.collections.delete(from);
      source.name = to;
      db.collections.set(to, source);
      this.sink?.append(fromDb, { op: "rename", coll: from, to });
      return;
    }
    // Across databases: copy documents and indexes, then drop the source.
    const copy = this.createCollection(toDb, to, source.options);
    for (const index of source.indexes.values()) this.addIndex(copy, index.spec);
    for (const doc of source.docs.values()) this.insert(copy, doc);
    this.dropCollection(fromDb, from);
  }

  addIndex(coll: Collection, spec: IndexSpec): void {
    coll.addIndex(spec);
    this.sink?.append(coll.db, { op: "index", coll: coll.name, spec: spec.raw });
  }

  dropIndex(coll: Collection, name: string): void {
    coll.indexes.delete(name);
    this.sink?.append(coll.db, { op: "dropIndex", coll: coll.name, name });
  }

  /** collMod of an index: options that change no keys (hidden, expireAfterSeconds). */
  setIndexOptions(coll: Collection, name: string, raw: Doc): void {
    applyIndexOptions(coll, name, raw);
    this.sink?.append(coll.db, { op: "indexOptions", coll: coll.name, name, raw });
  }

  setCollectionOptions(coll: Collection, options: Doc): void {
    Object.assign(coll.options, options);
    this.sink?.append(coll.db, { op: "options", coll: coll.name, options });
  }

  private changed(coll: Collection, id: string, prev: Doc | undefined, record: Doc): void {
    const ts = ++this.clock;
    coll.lastWriteTs = ts;
    if (this.keepHistory) {
      coll.recordChange(id, prev, ts);
      this.collectionsWithHistory.add(coll);
    }
    if (!this.sink) return;
    if (this.batch) {
      let list = this.batch.get(coll.db);
      if (!list) this.batch.set(coll.db, (list = []));
      list.push(record);
    } else this.sink.append(coll.db, record);
  }

  insert(coll: Collection, doc: Doc): void {
    coll.insert(doc);
    this.changed(coll, idKeyOf(doc), undefined, { op: "i", coll: coll.name, doc });
  }

  replace(coll: Collection, id: string, doc: Doc): void {
    const prev = coll.docs.get(id);
    coll.replace(id, doc);
    this.changed(coll, id, prev, { op: "u", coll: coll.name, doc });
  }

  remove(coll: Collection, id: string): void {
    const prev = coll.remove(id);
    if (!prev) return;
    this.changed(coll, id, prev, { op: "d", coll: coll.name, id: prev._id });
  }

  /** Runs `fn` so that its writes reach each database's journal as one record. */
  atomically(fn: () => void): void {
    this.batch = new Map();
    try {
      fn();
    } finally {
      const batch = this.batch;
      this.batch = undefined;
      for (const [db, ops] of batch)
        this.sink?.append(db, ops.length === 1 ? (ops[0] as Doc) : { op: "batch", ops });
    }
  }
}

export function applyIndexOptions(coll: Collection, name: string, raw: Doc): void {
  const index = coll.indexes.get(name);
  if (!index) return;
  index.spec.raw = raw;
  index.spec.expireAfterSeconds = raw.expireAfterSeconds as number | undefined;
  index.spec.unique = raw.unique === true;
}
