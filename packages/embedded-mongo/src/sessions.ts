import { Binary } from "bson";
import type { Doc } from "./bson-values.js";
import { CommandError, ErrorCodes } from "./errors.js";
import { noSuchTransaction, type Transaction, type TransactionManager } from "./transactions.js";

export interface Session {
  id: string;
  lastUse: number;
  /** Highest txnNumber seen; numbers only increase. */
  txnNumber: number;
  txn?: Transaction;
  /** The reply to the last retryable write, replayed when the driver retries it. */
  lastWrite?: { txnNumber: number; reply: Doc };
}

/** The session key of an `lsid` field, or undefined when there is none. */
export function sessionKey(lsid: unknown): string | undefined {
  if (!lsid || typeof lsid !== "object") return undefined;
  const id = (lsid as { id?: unknown }).id;
  if (!(id instanceof Binary)) return undefined;
  return id.toString("hex");
}

export class SessionStore {
  readonly sessions = new Map<string, Session>();

  constructor(private readonly txns: TransactionManager) {}

  get(id: string): Session {
    let s = this.sessions.get(id);
    if (!s) this.sessions.set(id, (s = { id, lastUse: Date.now(), txnNumber: -1 }));
    s.lastUse = Date.now();
    return s;
  }

  /** Ending a session discards its open transaction. */
  end(id: string): void {
    this.sessions.get(id)?.txn?.abort();
    this.sessions.delete(id);
  }

  /** The transaction a command with `autocommit: false` belongs to. */
  transactionFor(
    session: Session,
    txnNumber: number,
    start: boolean,
    command: string,
  ): Transaction {
    if (txnNumber < session.txnNumber) {
      throw new CommandError(
        ErrorCodes.TransactionTooOld,
        `Cannot start transaction ${txnNumber} on session because a newer transaction ${session.txnNumber} has already started`,
      );
    }
    if (start) {
      if (txnNumber === session.txnNumber && session.txn) {
        throw new CommandError(
          ErrorCodes.ConflictingOperationInProgress,
          `Transaction ${txnNumber} has already been started on this session`,
        );
      }
      session.txn?.abort();
      session.txnNumber = txnNumber;
      session.txn = this.txns.begin(session.id, txnNumber);
      return session.txn;
    }
    const txn = session.txn;
    if (!txn || txn.txnNumber !== txnNumber) throw noSuchTransaction(txnNumber);
    if (txn.state === "aborted") {
      if (command === "abortTransaction") return txn;
      throw noSuchTransaction(txnNumber);
    }
    if (txn.state === "committed" && command !== "commitTransaction") {
      throw new CommandError(
        ErrorCodes.TransactionCommitted,
        `Transaction ${txnNumber} has been committed.`,
      );
    }
    return txn;
  }

  /** Ends sessions idle longer than the logical session timeout. */
  expire(maxIdleMs: number, now = Date.now()): string[] {
    const ended: string[] = [];
    for (const [id, s] of this.sessions) {
      if (now - s.lastUse > maxIdleMs) {
        this.end(id);
        ended.push(id);
      }
    }
    return ended;
  }
}
