import { UUID } from "bson";
import type { CommandHandler } from "../command-context.js";
import { CommandError, ErrorCodes } from "../errors.js";
import { sessionKey } from "../sessions.js";
import { noSuchTransaction } from "../transactions.js";

const endSessions: CommandHandler = (ctx) => {
  const list = ctx.body[Object.keys(ctx.body)[0] as string];
  if (!Array.isArray(list))
    throw new CommandError(ErrorCodes.TypeMismatch, "expected an array of session ids");
  for (const lsid of list) {
    const key = sessionKey(lsid);
    if (!key) continue;
    ctx.sessions.end(key);
    ctx.cursors.killForSession(key);
  }
  return { ok: 1 };
};

export const sessionCommands: Record<string, CommandHandler> = {
  startSession: () => ({ id: { id: new UUID() }, timeoutMinutes: 30, ok: 1 }),
  endSessions,
  killSessions: endSessions,
  refreshSessions: (ctx) => {
    const list = ctx.body.refreshSessions;
    if (Array.isArray(list))
      for (const lsid of list) {
        const key = sessionKey(lsid);
        if (key && ctx.sessions.sessions.has(key)) ctx.sessions.get(key);
      }
    return { ok: 1 };
  },
  killAllSessions: (ctx) => {
    for (const id of [...ctx.sessions.sessions.keys()]) ctx.sessions.end(id);
    return { ok: 1 };
  },
  killAllSessionsByPattern: (ctx) => {
    for (const id of [...ctx.sessions.sessions.keys()]) ctx.sessions.end(id);
    return { ok: 1 };
  },
  commitTransaction: (ctx) => {
    if (!ctx.transaction) throw noSuchTransaction(Number(ctx.body.txnNumber ?? -1));
    ctx.transaction.commit(ctx.catalog);
    return { ok: 1 };
  },
  abortTransaction: (ctx) => {
    const txn = ctx.transaction;
    if (!txn) throw noSuchTransaction(Number(ctx.body.txnNumber ?? -1));
    if (txn.state === "committed")
      throw new CommandError(
        ErrorCodes.TransactionCommitted,
        "Cannot abort a committed transaction",
      );
    txn.abort();
    return { ok: 1 };
  },
};
