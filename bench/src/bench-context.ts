// What every scenario shares: the sizes for this mode, the database child, the tenant fleet, and
// how to start the processes under test.
import { randomBytes } from "node:crypto";

import { cpuMs, freePort } from "@tenantry/test-kit";

import type { Child } from "./processes/child-process";
import { API_SERVER_ENTRY, startChild } from "./processes/child-process";
import type { Fleet } from "./fleet";
import { BENCH_JWT } from "./fleet";
import type { BarChartSpec } from "./charts";

export type Mode = "full" | "quick" | "smoke";

export interface Sizes {
  overhead: {
    connections: number[];
    durationMs: number;
    warmupMs: number;
    pageNotes: number;
    /** The CPU-profiled window of each process. */
    profileMs: number;
  };
  scale: {
    steps: number[];
    touchConcurrency: number;
    provisionConcurrency: number;
    /** Time all provisioning together may take (the first 1,000 and the growth to 10,000). */
    provisionBudgetMs: number;
    /** Per step and process: a touch pass that cannot finish in time is cut and reported. */
    touchBudgetMs: number;
    /**
     * Tenantry alone at a larger fleet, its tenants written straight into the databases
     * (Fleet.bulkGrow: the saga would not fit the budget), each touched once.
     */
    bulk: { tenants: number; provisionBudgetMs: number; touchBudgetMs: number };
  };
  churn: {
    lru: number;
    workingSetFactor: number;
    clients: number;
    durationMs: number;
    inCacheMs: number;
  };
  cold: { samples: number };
  noisy: {
    others: number;
    durationMs: number;
    heavyNotes: number;
    heavyConnections: number;
    /**
     * The rate case: one tenant sends 10× its plan's requestsPerMinute (perMinute) on
     * connections, the others `quietRate` req/s together; slices alternate without and with it.
     */
    rate: {
      perMinute: number;
      quietRate: number;
      connections: number;
      sliceMs: number;
      slices: number;
    };
    /** Admission's own cost: the same reads with it on and off, in alternating slices. */
    cost: { connections: number[]; sliceMs: number; slices: number };
  };
  ops: { migrateConcurrency: number; migrateCapMs: number };
  notesPerTenant: number;
}

export const SIZES: Record<Mode, Sizes> = {
  full: {
    overhead: {
      connections: [1, 16, 64],
      durationMs: 5000,
      warmupMs: 6000,
      pageNotes: 40,
      profileMs: 5000,
    },
    scale: {
      steps: [1000, 10_000],
      touchConcurrency: 32,
      provisionConcurrency: 8,
      provisionBudgetMs: 330_000,
      touchBudgetMs: 120_000,
      bulk: { tenants: 100_000, provisionBudgetMs: 100_000, touchBudgetMs: 60_000 },
    },
    churn: { lru: 500, workingSetFactor: 10, clients: 64, durationMs: 45_000, inCacheMs: 10_000 },
    cold: { samples: 200 },
    noisy: {
      others: 50,
      durationMs: 8000,
      heavyNotes: 2000,
      heavyConnections: 16,
      rate: { perMinute: 1200, quietRate: 150, connections: 16, sliceMs: 4000, slices: 4 },
      cost: { connections: [1, 16], sliceMs: 1000, slices: 5 },
    },
    ops: { migrateConcurrency: 16, migrateCapMs: 125_000 },
    notesPerTenant: 3,
  },
  quick: {
    overhead: {
      connections: [1, 16],
      durationMs: 1000,
      warmupMs: 300,
      pageNotes: 25,
      profileMs: 1000,
    },
    scale: {
      steps: [20, 60],
      touchConcurrency: 8,
      provisionConcurrency: 8,
      provisionBudgetMs: 60_000,
      touchBudgetMs: 30_000,
      bulk: { tenants: 300, provisionBudgetMs: 30_000, touchBudgetMs: 30_000 },
    },
    churn: { lru: 5, workingSetFactor: 10, clients: 16, durationMs: 2000, inCacheMs: 1000 },
    cold: { samples: 10 },
    noisy: {
      others: 10,
      durationMs: 1000,
      heavyNotes: 200,
      heavyConnections: 4,
      rate: { perMinute: 600, quietRate: 60, connections: 8, sliceMs: 1000, slices: 2 },
      cost: { connections: [1, 16], sliceMs: 500, slices: 2 },
    },
    ops: { migrateConcurrency: 8, migrateCapMs: 60_000 },
    notesPerTenant: 3,
  },
  // The test suite's size: every code path, a few seconds.
  smoke: {
    overhead: {
      connections: [2],
      durationMs: 300,
      warmupMs: 100,
      pageNotes: 22,
      profileMs: 300,
    },
    scale: {
      steps: [6, 12],
      touchConcurrency: 4,
      provisionConcurrency: 4,
      provisionBudgetMs: 30_000,
      touchBudgetMs: 20_000,
      bulk: { tenants: 30, provisionBudgetMs: 20_000, touchBudgetMs: 20_000 },
    },
    churn: { lru: 2, workingSetFactor: 5, clients: 4, durationMs: 400, inCacheMs: 200 },
    cold: { samples: 3 },
    noisy: {
      others: 3,
      durationMs: 300,
      heavyNotes: 30,
      heavyConnections: 2,
      rate: { perMinute: 60, quietRate: 20, connections: 2, sliceMs: 300, slices: 1 },
      cost: { connections: [1], sliceMs: 200, slices: 1 },
    },
    ops: { migrateConcurrency: 4, migrateCapMs: 30_000 },
    notesPerTenant: 2,
  },
};

export interface ScenarioResult {
  id: number;
  slug: string;
  title: string;
  goal: string;
  verdict: "met" | "not met" | "partly met";
  why: string;
  closeGap: string | null;
  tables: { caption?: string; headers: string[]; rows: (string | number)[][] }[];
  notes: string[];
  chart: BarChartSpec;
  /** Verbatim output worth keeping (e.g. migrateAll progress). */
  log?: string[];
  /** Set by the runner: wall time and the machine's 1-minute load average around the scenario. */
  run?: { seconds: number; loadStart: number; loadEnd: number };
}

export interface BenchContext {
  mode: Mode;
  sizes: Sizes;
  mongo: { uri: string; port: number; pid: number };
  fleet: Fleet;
  secrets: { encryptionKey: string; jwtSecret: string; controlDbName: string };
  /** Epoch ms by which the whole run should be done (issue 21: `pnpm bench` within 15 minutes). */
  runDeadline: number;
  /** Where CPU profiles of the processes under test are written. */
  profileDir: string;
  /** Provisioning figures gathered while the fleet grows (scenario 6 reports them). */
  provisioning: { fleetSize: number; added: number; elapsedMs: number }[];
  log(msg: string): void;
}

/** Epoch ms at which provisioning must stop for all of it to stay inside its budget. */
export function provisionDeadline(ctx: BenchContext): number {
  const spent = ctx.provisioning.reduce((n, p) => n + p.elapsedMs, 0);
  return Date.now() + Math.max(0, ctx.sizes.scale.provisionBudgetMs - spent);
}

export function newSecrets() {
  return {
    encryptionKey: randomBytes(32).toString("base64"),
    jwtSecret: randomBytes(32).toString("hex"),
    controlDbName: `bench_ctl_${randomBytes(3).toString("hex")}`,
  };
}

export type ApiChild = Child<{ url: string }> & {
  /** From spawn to /healthz answering 200: module loading, tenancy and services set-up, listen. */
  startMs: number;
  /** CPU time the process had used by then (/proc): start-up cost without the machine's queue. */
  startCpuMs: number;
};

/**
 * The Tenantry API under test: the compiled standalone server itself (packages/api/dist/main.mjs,
 * what `pnpm --filter @tenantry/api serve` and the image run), configured through its env module
 * like a deployment. Request logging is off, as it is for the bare handler and the recipe. The
 * heap policy is the server's default; BENCH_HEAP_GROWTH_PERCENT=0 measures V8's own policy. The
 * database pool is tenancy's default maxPoolSize (32), which scenario 2 checks sockets against.
 */
export async function startApi(
  ctx: Pick<BenchContext, "mongo" | "secrets">,
  opts: { maxHandles?: number; profileFile?: string; env?: Record<string, string> } = {},
): Promise<ApiChild> {
  // The server gives up when the control database does not answer within tenancy's 1.5 s
  // (unavailableAfterMs), as it should in production, where the orchestrator restarts it; on
  // this shared machine a busy moment can take that long, so the bench restarts it too.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startApiOnce(ctx, opts);
    } catch (err) {
      if (attempt >= 3 || !/unreachable/i.test((err as Error).message)) throw err;
    }
  }
}

async function startApiOnce(
  ctx: Pick<BenchContext, "mongo" | "secrets">,
  opts: { maxHandles?: number; profileFile?: string; env?: Record<string, string> },
): Promise<ApiChild> {
  const port = await freePort();
  const t0 = performance.now();
  const child = await startChild<{ url: string }>(
    API_SERVER_ENTRY,
    {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      MONGODB_URI: ctx.mongo.uri,
      CONTROL_DB_NAME: ctx.secrets.controlDbName,
      ENCRYPTION_KEY: ctx.secrets.encryptionKey,
      JWT_SECRET: ctx.secrets.jwtSecret,
      JWT_ISSUER: BENCH_JWT.issuer,
      JWT_AUDIENCE: BENCH_JWT.audience,
      TENANT_CACHE_MAX: String(opts.maxHandles ?? 500),
      ADMIN_API_ENABLED: "false",
      LOG_LEVEL: "silent",
      // The churn scenario reads /metrics, which answers only this token.
      METRICS_TOKEN,
      ...(process.env.BENCH_HEAP_GROWTH_PERCENT
        ? { API_HEAP_GROWTH_PERCENT: process.env.BENCH_HEAP_GROWTH_PERCENT }
        : {}),
      ...(opts.profileFile ? { BENCH_PROFILE_FILE: opts.profileFile } : {}),
      ...opts.env,
    },
    { readyUrl: `http://127.0.0.1:${port}/healthz` },
  );
  const startMs = performance.now() - t0;
  return Object.assign(child, { startMs, startCpuMs: await cpuMs(child.pid) });
}

/** /metrics answers only this Bearer token (the api child gets it as BENCH_METRICS_TOKEN). */
const METRICS_TOKEN = randomBytes(24).toString("hex");

/** Reads the API's /metrics gauges (tenancy pool statistics) into a flat map. */
export async function poolMetrics(apiUrl: string): Promise<Map<string, number>> {
  const headers = { authorization: `Bearer ${METRICS_TOKEN}` };
  const text = await (await fetch(`${apiUrl}/metrics`, { headers })).text();
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(tenantry_pool_[a-z0-9_]+) (-?[0-9.e+]+)$/.exec(line);
    if (m?.[1] && m[2]) out.set(m[1], Number(m[2]));
  }
  return out;
}

export const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : "n/a");
export const int = (v: number) =>
  Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "n/a";
