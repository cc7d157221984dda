import { ObjectId } from "bson";
import os from "node:os";
import type { CommandContext, CommandHandler } from "../command-context.js";
import { queryMetrics } from "../data-view.js";

const REPLICA_SET_NAME = "rs0";
const VERSION = "7.0.0";
// Constant and never decreasing, so the driver never sees a stale primary.
const ELECTION_ID = new ObjectId("7fffffff0000000000000001");

function hello(ctx: CommandContext, legacy: boolean): Record<string, unknown> {
  const me = `${ctx.server.host}:${ctx.server.port}`;
  return {
    helloOk: true,
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    setName: REPLICA_SET_NAME,
    setVersion: 1,
    hosts: [me],
    primary: me,
    me,
    electionId: ELECTION_ID,
    secondary: false,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
}

export const adminCommands: Record<string, CommandHandler> = {
  hello: (ctx) => hello(ctx, false),
  isMaster: (ctx) => hello(ctx, true),
  ismaster: (ctx) => hello(ctx, true),
  ping: () => ({ ok: 1 }),
  buildInfo: () => ({
    version: VERSION,
    gitVersion: "embedded",
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ["embedded"],
    javascriptEngine: "none",
    modules: [],
    ok: 1,
  }),
  hostInfo: () => ({
    system: {
      currentTime: new Date(),
      hostname: os.hostname(),
      cpuAddrSize: 64,
      memSizeMB: Math.round(os.totalmem() / 1048576),
      numCores: os.cpus().length,
      cpuArch: os.arch(),
    },
    os: { type: os.type(), name: os.platform(), version: os.release() },
    extra: {},
    ok: 1,
  }),
  getParameter: (ctx) => {
    const out: Record<string, unknown> = { ok: 1 };
    const params: Record<string, unknown> = {
      featureCompatibilityVersion: { version: "7.0" },
      authenticationMechanisms: [],
      transactionLifetimeLimitSeconds: 60,
      maxTransactionLockRequestTimeoutMillis: 5,
    };
    const all = ctx.body.getParameter === "*";
    for (const [k, v] of Object.entries(params)) if (all || k in ctx.body) out[k] = v;
    return out;
  },
  getCmdLineOpts: (ctx) => ({
    argv: ["embedded-mongo"],
    parsed: {
      net: { port: ctx.server.port, bindIp: ctx.server.host },
      ...(ctx.server.dbPath ? { storage: { dbPath: ctx.server.dbPath } } : {}),
    },
    ok: 1,
  }),
  getLog: (ctx) =>
    ctx.body.getLog === "*"
      ? { names: ["global", "startupWarnings"], ok: 1 }
      : { totalLinesWritten: 0, log: [], ok: 1 },
  connectionStatus: () => ({
    authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] },
    ok: 1,
  }),
  whatsmyuri: (ctx) => ({ you: ctx.clientAddress, ok: 1 }),
  serverStatus: (ctx) => ({
    host: os.hostname(),
    version: VERSION,
    process: "mongod",
    pid: process.pid,
    uptime: Math.floor((Date.now() - ctx.server.startedAt) / 1000),
    uptimeMillis: Date.now() - ctx.server.startedAt,
    localTime: new Date(),
    connections: {
      current: ctx.server.connections(),
      available: 10_000,
      totalCreated: ctx.connectionId,
    },
    metrics: { cursor: { open: { total: ctx.cursors.size } }, queryExecutor: { ...queryMetrics } },
    logicalSessionRecordCache: { activeSessionsCount: ctx.sessions.sessions.size },
    repl: {
      setName: REPLICA_SET_NAME,
      isWritablePrimary: true,
      hosts: [`${ctx.server.host}:${ctx.server.port}`],
    },
    storageEngine: { name: "embedded", persistent: Boolean(ctx.server.dbPath) },
    ...(ctx.server.journalStats ? { journal: ctx.server.journalStats() } : {}),
    ok: 1,
  }),
  listCommands: () => ({ commands: {}, ok: 1 }),
  // No authentication: every caller is treated as an unauthenticated superuser.
  logout: () => ({ ok: 1 }),
  getFreeMonitoringStatus: () => ({ state: "disabled", ok: 1 }),
};
