import { UUID } from "bson";
import type { CommandHandler } from "../command-context.js";

export const sessionCommands: Record<string, CommandHandler> = {
  startSession: () => ({ id: { id: new UUID() }, timeoutMinutes: 30, ok: 1 }),
  endSessions: () => ({ ok: 1 }),
  refreshSessions: () => ({ ok: 1 }),
  killSessions: () => ({ ok: 1 }),
  killAllSessions: () => ({ ok: 1 }),
  killAllSessionsByPattern: () => ({ ok: 1 }),
  commitTransaction: () => ({ ok: 1 }),
  abortTransaction: () => ({ ok: 1 }),
};
