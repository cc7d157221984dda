import type { Doc } from "./bson-values.js";

export interface Session {
  id: string;
  lastUse: number;
  /** Highest txnNumber seen; a retried write reuses it. */
  txnNumber: number;
  /** The reply to the last retryable write, replayed when the driver retries it. */
  lastWrite?: { txnNumber: number; reply: Doc };
}

export class SessionStore {
  readonly sessions = new Map<string, Session>();

  get(id: string): Session {
    let s = this.sessions.get(id);
    if (!s) this.sessions.set(id, (s = { id, lastUse: Date.now(), txnNumber: -1 }));
    s.lastUse = Date.now();
    return s;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }
}
