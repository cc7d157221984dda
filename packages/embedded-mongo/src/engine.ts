import type { Doc } from "./bson-values.js";
import { validateDbName, type Catalog } from "./catalog.js";
import type { CommandContext, CommandHandler, ServerInfo } from "./command-context.js";
import { adminCommands } from "./commands/admin.js";
import { ddlCommands } from "./commands/ddl.js";
import { readCommands } from "./commands/read.js";
import { sessionCommands } from "./commands/sessions.js";
import { writeCommands } from "./commands/write.js";
import { CursorStore } from "./cursor-store.js";
import { DirectView } from "./data-view.js";
import { CommandError, ErrorCodes, toCommandError } from "./errors.js";
import { sessionKey, SessionStore } from "./sessions.js";
import { TransactionManager } from "./transactions.js";
import { sweepExpired } from "./ttl-monitor.js";
import type { CommandRequest } from "./wire-protocol.js";

const commands: Record<string, CommandHandler> = {
  ...adminCommands,
  ...readCommands,
  ...writeCommands,
  ...ddlCommands,
  ...sessionCommands,
};

function firstKey(o: Doc): string | undefined {
  for (const k in o) return k;
  return undefined;
}

const RETRYABLE_WRITES = new Set(["insert", "update", "delete", "findAndModify", "findandmodify"]);
const TXN_LIFETIME_MS = 60_000;
const SESSION_TIMEOUT_MS = 30 * 60_000;

/** Durability hook: resolves once everything appended so far is on disk. */
export interface DurabilityBarrier {
  readonly appended: number;
  waitDurable(): Promise<void>;
}

export interface EngineOptions {
  ttlMonitorIntervalMs?: number;
}

/** Executes commands against the catalog; knows nothing about sockets. */
export class Engine {
  readonly cursors = new CursorStore();
  readonly txns: TransactionManager;
  readonly sessions: SessionStore;
  readonly direct: DirectView;
  private readonly timers: NodeJS.Timeout[] = [];
  /** Database names already checked, so that the check is not repeated on every command. */
  private readonly validDbNames = new Set<string>();

  constructor(
    readonly catalog: Catalog,
    public info: ServerInfo,
    private readonly durability?: DurabilityBarrier,
    opts: EngineOptions = {},
  ) {
    this.direct = new DirectView(catalog);
    this.txns = new TransactionManager(catalog);
    this.sessions = new SessionStore(this.txns);
    const housekeeping = setInterval(() => {
      this.txns.expire(TXN_LIFETIME_MS);
      for (const id of this.sessions.expire(SESSION_TIMEOUT_MS)) this.cursors.killForSession(id);
      this.cursors.sweep();
    }, 1000);
    const ttl = setInterval(() => sweepExpired(catalog), opts.ttlMonitorIntervalMs ?? 60_000);
    housekeeping.unref();
    ttl.unref();
    this.timers.push(housekeeping, ttl);
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
  }

  /** The reply, or a promise of it when a write must first reach the disk. */
  run(req: CommandRequest, conn: { id: number; remote: string }): Doc | Promise<Doc> {
    const body = req.body;
    const name = firstKey(body);
    const before = this.durability?.appended ?? 0;
    let reply: Doc;
    try {
      reply = this.execute(name, body, req, conn);
    } catch (err) {
      reply = toCommandError(err).toReply();
    }
    // Acknowledge writes only once they are on disk (group commit shares the fsync).
    if (this.durability && this.durability.appended !== before)
      return this.durability.waitDurable().then(() => reply);
    return reply;
  }

  private execute(
    name: string | undefined,
    body: Doc,
    req: CommandRequest,
    conn: { id: number; remote: string },
  ): Doc {
    if (name === undefined)
      throw new CommandError(ErrorCodes.FailedToParse, "Empty command object");
    const handler = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!handler) throw new CommandError(ErrorCodes.CommandNotFound, `no such command: '${name}'`);
    const db = body.$db;
    if (typeof db !== "string")
      throw new CommandError(ErrorCodes.InvalidNamespace, "the command is missing its $db field");
    if (!this.validDbNames.has(db)) {
      validateDbName(db);
      if (this.validDbNames.size < 100_000) this.validDbNames.add(db);
    }
    const ctx: CommandContext = {
      catalog: this.catalog,
      cursors: this.cursors,
      sessions: this.sessions,
      server: this.info,
      connectionId: conn.id,
      clientAddress: conn.remote,
      db,
      body,
      view: this.direct,
      requestSize: req.size,
    };
    const key = sessionKey(body.lsid);
    const txnNumber = typeof body.txnNumber === "number" ? body.txnNumber : undefined;
    if (key) ctx.session = this.sessions.get(key);
    if (body.autocommit === false) {
      if (!ctx.session || txnNumber === undefined) {
        throw new CommandError(
          ErrorCodes.InvalidOptions,
          "'autocommit' field requires a transaction number and a session id",
        );
      }
      ctx.transaction = this.sessions.transactionFor(
        ctx.session,
        txnNumber,
        body.startTransaction === true,
        name,
      );
      ctx.view = ctx.transaction;
      try {
        return handler(ctx);
      } catch (err) {
        // As in MongoDB, a failed statement aborts its transaction.
        if (name !== "commitTransaction" && name !== "abortTransaction") ctx.transaction.abort();
        throw err;
      }
    }
    if (ctx.session && txnNumber !== undefined && RETRYABLE_WRITES.has(name)) {
      const session = ctx.session;
      // A retried write (same txnNumber) gets the first attempt's reply instead of running twice.
      if (session.lastWrite?.txnNumber === txnNumber) return session.lastWrite.reply;
      if (txnNumber < session.txnNumber)
        throw new CommandError(
          ErrorCodes.TransactionTooOld,
          `txnNumber ${txnNumber} is older than ${session.txnNumber}`,
        );
      session.txnNumber = txnNumber;
      const reply = handler(ctx);
      session.lastWrite = { txnNumber, reply };
      return reply;
    }
    return handler(ctx);
  }
}
