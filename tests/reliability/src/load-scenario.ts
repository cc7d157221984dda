// The whole load scenario, shared by the short vitest form and `pnpm test:load`: an embedded
// MongoDB child, N tenants provisioned through tenancy, the real API server as a child process,
// virtual users for a while, then proof that every write is in its own tenant only and that the
// server's sockets to the database and its memory stayed flat after warm-up.
import { rssBytes, tcpConnectionsTo } from "@tenantry/test-kit";
import { MongoClient } from "mongodb";

import type { ApiChild, MongoChild } from "./child-processes";
import { startApiChild, startMongoChild } from "./child-processes";
import type { LoadReport } from "./load-run";
import { forEachLimited, runLoad } from "./load-run";
import { callProcedure } from "./trpc-over-http";
import {
  OWNER_PASSWORD,
  apiEnv,
  newDeployment,
  openTenancy,
  provisionTenants,
} from "./tenant-fixtures";
import type { TenantSeed } from "./tenant-fixtures";

export interface LoadProfile {
  users: number;
  tenants: number;
  durationMs: number;
  /** Samples before this point are warm-up and not compared. */
  warmupMs: number;
}

// warmupMs is measured from the start of the mixed load, after the sign-in pass over every tenant.
export const SHORT_PROFILE: LoadProfile = {
  users: 50,
  tenants: 100,
  durationMs: 20_000,
  warmupMs: 5_000,
};
export const FULL_PROFILE: LoadProfile = {
  users: 200,
  tenants: 1000,
  durationMs: 90_000,
  warmupMs: 15_000,
};
export const LONG_PROFILE: LoadProfile = {
  users: 200,
  tenants: 1000,
  durationMs: 600_000,
  warmupMs: 60_000,
};

/** Flatness tolerances, stated once: end-of-run vs just-after-warm-up averages. */
export const TOLERANCE = {
  /** DB sockets may differ by at most this many (pool refills, monitor reconnects). */
  socketsDelta: 4,
  /** And never exceed the per-cluster pool (32, tenancy's default) plus monitoring sockets. */
  socketsMax: 36,
  /** RSS at the end at most 25 % above the post-warm-up level. */
  rssGrowth: 0.25,
};

/**
 * A request slower than this counts as failed. Generous because the 2-core machine is shared:
 * slowness is reported as latency percentiles; only a request that never completes is an error.
 */
const REQUEST_TIMEOUT_MS = 60_000;

interface Sample {
  atMs: number;
  rss: number;
  dbSockets: number;
}

export interface LoadScenarioResult {
  profile: LoadProfile;
  provisionMs: number;
  report: LoadReport;
  samples: Sample[];
  start: { rssMb: number; dbSockets: number };
  end: { rssMb: number; dbSockets: number };
  idle: { rssMb: number; dbSockets: number };
  verify: {
    writes: number;
    readBackByOwner: number;
    readBackMismatches: string[];
    visibleToOtherTenant: string[];
    /** From a direct scan of every tenant database: notes found in the wrong database. */
    misplaced: string[];
    /** Acknowledged writes not found in their tenant database by the scan. */
    missing: number;
  };
  flat: { sockets: boolean; rss: boolean };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const mb = (b: number) => Math.round(b / 1024 / 102.4) / 10;

export async function runLoadScenario(
  profile: LoadProfile,
  log: (msg: string) => void = () => undefined,
): Promise<LoadScenarioResult> {
  let mongo: MongoChild | null = null;
  let api: ApiChild | null = null;
  try {
    mongo = await startMongoChild();
    const deployment = newDeployment(mongo.uri);
    const tenancy = await openTenancy(deployment);
    const t0 = Date.now();
    let seeds: TenantSeed[];
    try {
      seeds = await provisionTenants(tenancy, profile.tenants, {
        prefix: "load",
        concurrency: 12,
        onProgress: (n) => {
          if (n % 100 === 0) log(`provisioned ${n}/${profile.tenants} tenants`);
        },
      });
    } finally {
      await tenancy.shutdown({ timeoutMs: 2000 });
    }
    const provisionMs = Date.now() - t0;
    log(`provisioned ${seeds.length} tenants through tenancy in ${provisionMs} ms`);

    api = await startApiChild(apiEnv(deployment));
    const apiPid = api.pid;
    const mongoPort = mongo.port;
    log(
      `api pid ${apiPid} at ${api.url}; ${profile.users} virtual users for ${profile.durationMs / 1000} s`,
    );

    // Warm-up: every tenant signs in once (opening its handle), so the measured run starts with
    // the handle LRU and the registry cache at their working size rather than filling them.
    const primeStarted = Date.now();
    const tokens = new Map<number, string>();
    const priming = await runLoad({
      url: api.url,
      tenants: seeds,
      users: profile.users,
      durationMs: 60 * 60_000,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      tokens,
      loginOnly: true,
      pick: (() => {
        let next = 0;
        return () => (next < seeds.length ? next++ : -1);
      })(),
    });
    log(
      `warm-up: ${tokens.size} tenants signed in once in ${Date.now() - primeStarted} ms, ${priming.failureCount} failures`,
    );

    const samples: Sample[] = [];
    const loadStarted = Date.now();
    const sampler = setInterval(() => {
      void Promise.all([rssBytes(apiPid), tcpConnectionsTo(apiPid, [mongoPort])]).then(
        ([rss, dbSockets]) => samples.push({ atMs: Date.now() - loadStarted, rss, dbSockets }),
        () => undefined,
      );
    }, 500);
    let report: LoadReport;
    try {
      report = await runLoad({
        url: api.url,
        tenants: seeds,
        users: profile.users,
        durationMs: profile.durationMs,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        tokens,
      });
      report.failureCount += priming.failureCount;
      report.failures.unshift(...priming.failures);
      for (const [op, n] of Object.entries(priming.ops)) report.ops[`warm-up ${op}`] = n;
    } finally {
      clearInterval(sampler);
    }
    log(
      `load: ${JSON.stringify(report.ops)}, ${report.failureCount} failures, ${report.opsPerSecond} ops/s, latency ${JSON.stringify(report.latencyMs)}`,
    );

    const window = Math.min(5_000, (profile.durationMs - profile.warmupMs) / 3);
    const startSamples = samples.filter(
      (s) => s.atMs >= profile.warmupMs && s.atMs < profile.warmupMs + window,
    );
    const endSamples = samples.filter((s) => s.atMs >= profile.durationMs - window);
    const start = {
      rssMb: mb(mean(startSamples.map((s) => s.rss))),
      dbSockets: Math.round(mean(startSamples.map((s) => s.dbSockets))),
    };
    const end = {
      rssMb: mb(mean(endSamples.map((s) => s.rss))),
      dbSockets: Math.round(mean(endSamples.map((s) => s.dbSockets))),
    };
    await new Promise((r) => setTimeout(r, 2_000));
    const idle = {
      rssMb: mb(await rssBytes(apiPid)),
      dbSockets: await tcpConnectionsTo(apiPid, [mongoPort]),
    };

    const verify = await verifyWrites(api.url, mongo.uri, deployment.controlDbName, seeds, report);
    const flat = {
      sockets:
        Math.abs(end.dbSockets - start.dbSockets) <= TOLERANCE.socketsDelta &&
        end.dbSockets <= TOLERANCE.socketsMax &&
        idle.dbSockets <= TOLERANCE.socketsMax,
      rss: end.rssMb <= start.rssMb * (1 + TOLERANCE.rssGrowth),
    };
    return { profile, provisionMs, report, samples, start, end, idle, verify, flat };
  } finally {
    await api?.stop();
    await mongo?.stop();
  }
}

async function verifyWrites(
  url: string,
  mongoUri: string,
  controlDbName: string,
  seeds: TenantSeed[],
  report: LoadReport,
): Promise<LoadScenarioResult["verify"]> {
  const tokens = new Map<number, string>();
  const tokenFor = async (i: number) => {
    const cached = tokens.get(i);
    if (cached) return cached;
    const seed = seeds[i];
    if (!seed) throw new Error(`no tenant ${i}`);
    const r = await callProcedure(url, "app", "mutation", "auth.login", {
      email: seed.email,
      password: OWNER_PASSWORD,
      tenantSlug: seed.slug,
    });
    const token = (r.data as { accessToken?: string } | null)?.accessToken;
    if (!token)
      throw new Error(`verification login failed for ${seed.slug}: ${r.raw.slice(0, 200)}`);
    tokens.set(i, token);
    return token;
  };
  const readBackMismatches: string[] = [];
  const visibleToOtherTenant: string[] = [];
  let readBackByOwner = 0;
  await forEachLimited(report.writes, 16, async (w) => {
    const own = await callProcedure(
      url,
      "app",
      "query",
      "notes.get",
      { id: w.noteId },
      { token: await tokenFor(w.tenant) },
    );
    if (own.ok && (own.data as { title?: string }).title === w.title) readBackByOwner++;
    else readBackMismatches.push(`${w.noteId}: HTTP ${own.status} ${own.code ?? ""}`);
    const other = (w.tenant + 1 + Math.floor(Math.random() * (seeds.length - 1))) % seeds.length;
    const theirs = await callProcedure(
      url,
      "app",
      "query",
      "notes.get",
      { id: w.noteId },
      { token: await tokenFor(other) },
    );
    if (theirs.ok || theirs.code !== "NOT_FOUND")
      visibleToOtherTenant.push(
        `${w.noteId} from tenant ${other}: HTTP ${theirs.status} ${theirs.code ?? "ok"}`,
      );
  });

  // Every tenant database, read directly: each load note sits in the database of the tenant
  // that wrote it and in no other.
  const client = await new MongoClient(mongoUri, { maxPoolSize: 8 }).connect();
  const misplaced: string[] = [];
  let found = 0;
  try {
    const tenants = await client
      .db(controlDbName)
      .collection<{ slug: string; dbName: string }>("tenants")
      .find({})
      .toArray();
    const indexBySlug = new Map(seeds.map((s, i) => [s.slug, i]));
    await forEachLimited(tenants, 8, async (t) => {
      const idx = indexBySlug.get(t.slug);
      const notes = await client
        .db(t.dbName)
        .collection<{ title: string }>("notes")
        .find({ title: /^load / }, { projection: { title: 1 } })
        .toArray();
      for (const n of notes) {
        const writer = Number(n.title.split(" ")[2]);
        if (writer !== idx) misplaced.push(`${n.title} in ${t.slug}`);
        else found++;
      }
    });
  } finally {
    await client.close();
  }
  return {
    writes: report.writes.length,
    readBackByOwner,
    readBackMismatches: readBackMismatches.slice(0, 20),
    visibleToOtherTenant: visibleToOtherTenant.slice(0, 20),
    misplaced: misplaced.slice(0, 20),
    missing: Math.max(0, report.writes.length - found),
  };
}

function trend(samples: Sample[], durationMs: number): string {
  const out: string[] = [];
  for (let k = 0; k <= 10; k++) {
    const at = (durationMs * k) / 10;
    const near = samples.reduce<Sample | null>(
      (best, s) => (!best || Math.abs(s.atMs - at) < Math.abs(best.atMs - at) ? s : best),
      null,
    );
    if (near) out.push(`${Math.round(near.atMs / 1000)}s:${mb(near.rss)}`);
  }
  return out.join(" ");
}

export function summarize(r: LoadScenarioResult): string {
  return [
    `profile: ${r.profile.users} users, ${r.profile.tenants} tenants, ${r.profile.durationMs / 1000} s (warm-up ${r.profile.warmupMs / 1000} s)`,
    `provisioning: ${r.profile.tenants} tenants in ${(r.provisionMs / 1000).toFixed(1)} s`,
    `requests: ${JSON.stringify(r.report.ops)} = ${r.report.opsPerSecond} req/s; failures ${r.report.failureCount}`,
    `latency ms: p50 ${r.report.latencyMs.p50}, p95 ${r.report.latencyMs.p95}, p99 ${r.report.latencyMs.p99}, max ${r.report.latencyMs.max}`,
    `writes: ${r.verify.writes} acknowledged, ${r.verify.readBackByOwner} read back by their tenant, ${r.verify.visibleToOtherTenant.length} visible to another tenant, ${r.verify.misplaced.length} misplaced, ${r.verify.missing} missing`,
    `db sockets: ${r.start.dbSockets} after warm-up -> ${r.end.dbSockets} at end -> ${r.idle.dbSockets} idle (tolerance ±${TOLERANCE.socketsDelta}, max ${TOLERANCE.socketsMax})`,
    `rss MB over the run (every ~10 %): ${trend(r.samples, r.profile.durationMs)}`,
    `rss MB: ${r.start.rssMb} after warm-up -> ${r.end.rssMb} at end -> ${r.idle.rssMb} idle (tolerance +${TOLERANCE.rssGrowth * 100} %)`,
  ].join("\n");
}
