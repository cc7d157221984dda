import { ObjectId } from "bson";
import os from "node:os";
import { Timestamp } from "bson";
import type { CommandContext, CommandHandler } from "../command-context.js";
import { CommandError, ErrorCodes } from "../errors.js";
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

function adminOnly(ctx: CommandContext, name: string): void {
  if (ctx.db !== "admin")
    throw new CommandError(
      ErrorCodes.Unauthorized,
      `${name} may only be run against the admin database.`,
    );
}

/** The one member of the replica set, as replSetGetStatus describes it. */
function member(ctx: CommandContext): Record<string, unknown> {
  const now = new Date();
  const optime = { ts: new Timestamp({ t: Math.floor(now.getTime() / 1000), i: 1 }), t: 1 };
  const uptime = Math.floor((now.getTime() - ctx.server.startedAt) / 1000);
  return {
    _id: 0,
    name: `${ctx.server.host}:${ctx.server.port}`,
    health: 1,
    state: 1,
    stateStr: "PRIMARY",
    uptime,
    optime,
    optimeDate: now,
    lastAppliedWallTime: now,
    lastDurableWallTime: now,
    syncSourceHost: "",
    syncSourceId: -1,
    infoMessage: "",
    electionTime: new Timestamp({ t: Math.floor(ctx.server.startedAt / 1000), i: 1 }),
    electionDate: new Date(ctx.server.startedAt),
    configVersion: 1,
    configTerm: 1,
    self: true,
    lastHeartbeatMessage: "",
  };
}

/** In-progress operations for currentOp / $currentOp: this one, and idle connections on request. */
export function currentOps(
  ctx: CommandContext,
  opts: Record<string, unknown>,
): Record<string, unknown>[] {
  const now = new Date();
  const ops: Record<string, unknown>[] = [
    {
      type: "op",
      host: `${ctx.server.host}:${ctx.server.port}`,
      desc: `conn${ctx.connectionId}`,
      connectionId: ctx.connectionId,
      client: ctx.clientAddress,
      active: true,
      currentOpTime: now.toISOString(),
      opid: ctx.connectionId,
      secs_running: 0,
      microsecs_running: 0,
      op: "command",
      ns: `${ctx.db}.$cmd.aggregate`,
      command: ctx.body,
      numYields: 0,
      waitingForLock: false,
    },
  ];
  if (opts.idleConnections === true || opts.$all === true) {
    for (const c of ctx.server.connectionList()) {
      if (c.id === ctx.connectionId) continue;
      ops.push({
        type: "op",
        host: `${ctx.server.host}:${ctx.server.port}`,
        desc: `conn${c.id}`,
        connectionId: c.id,
        client: c.remote,
        active: false,
        currentOpTime: now.toISOString(),
      });
    }
  }
  return ops;
}

export const adminCommands: Record<string, CommandHandler> = {
  replSetGetStatus: (ctx) => {
    adminOnly(ctx, "replSetGetStatus");
    const self = member(ctx);
    return {
      set: REPLICA_SET_NAME,
      date: new Date(),
      myState: 1,
      term: 1,
      syncSourceHost: "",
      syncSourceId: -1,
      heartbeatIntervalMillis: 2000,
      majorityVoteCount: 1,
      writeMajorityCount: 1,
      votingMembersCount: 1,
      writableVotingMembersCount: 1,
      optimes: {
        lastCommittedOpTime: self.optime,
        appliedOpTime: self.optime,
        durableOpTime: self.optime,
      },
      members: [self],
      ok: 1,
    };
  },
  replSetGetConfig: (ctx) => {
    adminOnly(ctx, "replSetGetConfig");
    return {
      config: {
        _id: REPLICA_SET_NAME,
        version: 1,
        term: 1,
        members: [
          {
            _id: 0,
            host: `${ctx.server.host}:${ctx.server.port}`,
            arbiterOnly: false,
            buildIndexes: true,
            hidden: false,
            priority: 1,
            tags: {},
            secondaryDelaySecs: 0,
            votes: 1,
          },
        ],
        protocolVersion: 1,
        writeConcernMajorityJournalDefault: true,
        settings: { chainingAllowed: true, electionTimeoutMillis: 10000 },
      },
      ok: 1,
    };
  },
  currentOp: (ctx) => {
    adminOnly(ctx, "currentOp");
    return { inprog: currentOps(ctx, ctx.body), ok: 1 };
  },
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
      available: ctx.server.maxConnections - ctx.server.connections(),
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
