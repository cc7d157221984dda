import type { Doc } from "./bson-values.js";
import type { Catalog } from "./catalog.js";
import type { CursorStore } from "./cursor-store.js";
import type { DataView } from "./data-view.js";
import type { SessionStore, Session } from "./sessions.js";
import type { Transaction } from "./transactions.js";
import { CommandError, ErrorCodes } from "./errors.js";

export interface ServerInfo {
  host: string;
  port: number;
  startedAt: number;
  connections(): number;
  /** The connection cap (serverStatus reports what is left of it). */
  maxConnections: number;
  /** Open client connections, for currentOp. */
  connectionList(): { id: number; remote: string }[];
  dbPath?: string;
  /** Journal counters (records, rounds, fsyncs) when running with a dbPath. */
  journalStats?: () => Record<string, number>;
}

export interface CommandContext {
  catalog: Catalog;
  cursors: CursorStore;
  sessions: SessionStore;
  server: ServerInfo;
  connectionId: number;
  clientAddress: string;
  db: string;
  body: Doc;
  view: DataView;
  session?: Session;
  /** Set for commands with `autocommit: false`. */
  transaction?: Transaction;
  /** Size of the request message, so that small requests skip document size checks. */
  requestSize: number;
}

/** Handlers are synchronous: a reply waits only for durability, which the engine adds. */
export type CommandHandler = (ctx: CommandContext) => Doc;

/** Reads a required string argument (a collection name, usually). */
export function stringArg(body: Doc, field: string): string {
  const v = body[field];
  if (typeof v !== "string") {
    throw new CommandError(
      ErrorCodes.InvalidNamespace,
      `collection name has invalid type ${v === null ? "null" : typeof v}`,
    );
  }
  return v;
}

export function docArg(body: Doc, field: string, fallback: Doc = {}): Doc {
  const v = body[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      `BSON field '${field}' is the wrong type '${Array.isArray(v) ? "array" : typeof v}', expected type 'object'`,
    );
  }
  return v as Doc;
}

export function numberArg(body: Doc, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : NaN;
  if (Number.isNaN(n))
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      `BSON field '${field}' is the wrong type, expected a number`,
    );
  return n;
}
