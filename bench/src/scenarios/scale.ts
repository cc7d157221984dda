// Scenario 2: tenants provisioned in steps (1,000 then 10,000), every tenant touched twice through
// the API, and the API process's RSS and database sockets read from /proc — against the blog recipe
// (one mongoose.createConnection per tenant) in its own process, touched the same way, at the same
// tenant counts.
import type { BenchContext, ScenarioResult } from "../bench-context";
import { int, poolMetrics, provisionDeadline, startApi } from "../bench-context";
import type { LoadResult } from "../load";
import { runLoad, trpcQueryPath } from "../load";
import type { Child } from "../processes/child-process";
import { startChild } from "../processes/child-process";
import type { ProcSample } from "../proc-stats";
import { every, sample, watch } from "../proc-stats";

type Who = "Tenantry" | "recipe, driver defaults" | "recipe, lean";

interface Row {
  who: Who;
  fleet: number;
  /** Tenants that got both touches (a pass cut by the time budget touches fewer). */
  tenants: number;
  touch: LoadResult;
  peak: ProcSample;
  after: ProcSample;
  /** Tenantry only: the driver's own count of pooled sockets (CMAP events), peak during the touches. */
  poolSocketsPeak?: number;
}

export const MAX_POOL_SIZE = 32;
const LRU_HANDLES = 500;
const RSS_GOAL_MB = 400;

function row(
  who: Who,
  fleet: number,
  touch: LoadResult,
  peak: ProcSample,
  after: ProcSample,
  poolSocketsPeak?: number,
): Row {
  // Pass 1 covers every tenant, pass 2 again: a tenant is touched twice once request n + i is sent.
  const tenants = Math.max(0, Math.min(fleet, touch.requests - fleet));
  const top = {
    rssMb: Math.max(peak.rssMb, after.rssMb),
    dbSockets: Math.max(peak.dbSockets, after.dbSockets),
    fds: Math.max(peak.fds, after.fds),
  };
  return {
    who,
    fleet,
    tenants,
    touch,
    peak: top,
    after,
    ...(poolSocketsPeak === undefined ? {} : { poolSocketsPeak }),
  };
}

/** Peak of the API's pooled-socket gauge, polled while the touches run. */
function watchPoolSockets(apiUrl: string, everyMs: number) {
  let peak = 0;
  const poller = every(everyMs, async () => {
    const m = await poolMetrics(apiUrl).catch(() => null);
    peak = Math.max(peak, m?.get("tenantry_pool_sockets") ?? 0);
  });
  return {
    async stop() {
      await poller.stop();
      return peak;
    },
  };
}

async function touchRecipe(
  ctx: BenchContext,
  who: Who,
  recipe: Child<{ url: string }>,
  count: number,
): Promise<Row> {
  const s = ctx.sizes.scale;
  const tenants = ctx.fleet.tenants.slice(0, count);
  ctx.log(`scale: touching ${count} tenants twice through the ${who}`);
  // Reading 10,000+ socket inodes is itself work: sample the recipe less often.
  const w = watch(recipe.pid, ctx.mongo.port, count > 2000 ? 2000 : 1000);
  const touch = await runLoad({
    baseUrl: recipe.info.url,
    concurrency: s.touchConcurrency,
    requests: 2 * count,
    durationMs: s.touchBudgetMs,
    target: { path: (i) => `/notes?db=${encodeURIComponent(tenants[i % count]?.dbName ?? "")}` },
  });
  const peak = await w.stop();
  await new Promise((res) => setTimeout(res, 1000));
  return row(who, count, touch, peak, await sample(recipe.pid, ctx.mongo.port));
}

export async function scaleScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const s = ctx.sizes.scale;
  const api = await startApi(ctx, { maxHandles: LRU_HANDLES });
  const recipeEnv = { BENCH_MONGO_URI: ctx.mongo.uri };
  let defaults: Child<{ url: string }> | null = await startChild<{ url: string }>(
    "recipe-process.ts",
    { ...recipeEnv, BENCH_RECIPE_MODE: "defaults" },
  );
  const lean = await startChild<{ url: string }>("recipe-process.ts", {
    ...recipeEnv,
    BENCH_RECIPE_MODE: "lean",
  });
  const rows: Row[] = [];
  const notes: string[] = [];
  let shortfall: string | null = null;
  try {
    for (const want of s.steps) {
      if (ctx.fleet.tenants.length < want) {
        ctx.log(`scale: provisioning up to ${want} tenants (have ${ctx.fleet.tenants.length})`);
        const grown = await ctx.fleet.grow(want, {
          concurrency: s.provisionConcurrency,
          deadline: provisionDeadline(ctx),
        });
        ctx.provisioning.push({ fleetSize: ctx.fleet.tenants.length, ...grown });
      }
      const n = ctx.fleet.tenants.length;
      if (n < want) {
        const added = ctx.provisioning.reduce((a, p) => a + p.added, 0);
        const rate = added / (ctx.provisioning.reduce((a, p) => a + p.elapsedMs, 0) / 1000);
        shortfall = `only ${int(n)} of ${int(want)} tenants could be provisioned inside the ${s.provisionBudgetMs / 1000} s provisioning budget (${rate.toFixed(1)} tenants/s here)`;
      }
      const tenants = ctx.fleet.tenants.slice(0, n);
      ctx.log(`scale: touching ${n} tenants twice through the API`);
      const w = watch(api.pid, ctx.mongo.port, 500);
      const pw = watchPoolSockets(api.info.url, 500);
      const touch = await runLoad({
        baseUrl: api.info.url,
        concurrency: s.touchConcurrency,
        requests: 2 * n,
        durationMs: s.touchBudgetMs,
        target: {
          path: () => trpcQueryPath("notes.list", { limit: 20 }),
          headers: (i) => ({ authorization: `Bearer ${tenants[i % n]?.token ?? ""}` }),
        },
      });
      const peak = await w.stop();
      const poolPeak = await pw.stop();
      await new Promise((r) => setTimeout(r, 1000));
      rows.push(row("Tenantry", n, touch, peak, await sample(api.pid, ctx.mongo.port), poolPeak));
      const m = await poolMetrics(api.info.url);
      notes.push(
        `Tenantry at ${int(n)} tenants: pool handles ${m.get("tenantry_pool_handles") ?? "?"}, evictions ${m.get("tenantry_pool_evictions") ?? "?"}, ` +
          `evicted while leased ${m.get("tenantry_pool_evicted_while_leased") ?? "?"}, open cluster clients ${m.get("tenantry_pool_open_clients") ?? "?"}, pooled sockets (driver's count) peak ${poolPeak}.`,
      );
      // The recipe as written, at the first step only: it keeps ~3 sockets per tenant, so 10,000
      // of its tenants cannot be held under this machine's fd limit (see notes).
      if (defaults) {
        rows.push(await touchRecipe(ctx, "recipe, driver defaults", defaults, n));
        await defaults.stop();
        defaults = null;
      }
      rows.push(await touchRecipe(ctx, "recipe, lean", lean, n));
    }
  } finally {
    await api.stop();
    await defaults?.stop();
    await lean.stop();
  }
  const ours = rows.filter((r) => r.who === "Tenantry");
  const last = ours.at(-1);
  const target = s.steps.at(-1) ?? 0;
  const recipeLast = rows.find((r) => r.who === "recipe, lean" && r.fleet === last?.fleet);
  const recipeAtLast = recipeLast?.after.rssMb ?? null;
  const poolPeak = Math.max(...ours.map((r) => r.poolSocketsPeak ?? 0));
  const osPeak = Math.max(...ours.map((r) => r.peak.dbSockets));
  const osFlat = ours.every((r) => r.peak.dbSockets === ours[0]?.peak.dbSockets);
  const socketsOk = poolPeak <= MAX_POOL_SIZE;
  const rssOk = !!last && last.after.rssMb <= RSS_GOAL_MB;
  const fifthOk = !!last && recipeAtLast !== null && last.after.rssMb <= recipeAtLast / 5;
  const errors = rows.reduce((n, r) => n + r.touch.errors, 0);
  const reached = !!last && last.fleet >= target && rows.every((r) => r.tenants >= r.fleet);
  if (last && !shortfall && !reached) {
    shortfall = rows
      .filter((r) => r.tenants < r.fleet)
      .map(
        (r) =>
          `${r.who} touched ${int(r.tenants)} of ${int(r.fleet)} tenants twice inside the ${s.touchBudgetMs / 1000} s touch budget`,
      )
      .join("; ");
  }
  const met = socketsOk && rssOk && fifthOk && reached && errors === 0;
  const counts = [...new Set(rows.map((r) => r.fleet))].sort((a, b) => a - b);
  const d = rows.find((r) => r.who === "recipe, driver defaults");
  const perTenantDefaults = d && d.fleet ? (d.peak.dbSockets / d.fleet).toFixed(1) : "?";
  return {
    id: 2,
    slug: "scale",
    title: `Scale: ${s.steps.map(int).join(" then ")} tenants, each touched twice — Tenantry vs one createConnection per tenant`,
    goal: `database sockets never above maxPoolSize (${MAX_POOL_SIZE}) at any tenant count; RSS at ${int(target)} touched tenants ≤ ${RSS_GOAL_MB} MB and ≤ 1/5 of the recipe's`,
    verdict: met ? "met" : socketsOk || rssOk || fifthOk ? "partly met" : "not met",
    why: [
      `Sockets: the pool's sockets (the driver's own count, polled every 0.5 s) peaked at ${poolPeak} with maxPoolSize ${MAX_POOL_SIZE} — ${socketsOk ? "held" : "exceeded"}; ` +
        `counted by the OS, the process held ${osPeak} sockets to the database at peak${osFlat ? " at every tenant count" : ""}: the pool plus the driver's server-monitoring connection, which is per cluster client and outside the pool, not per tenant.`,
      last
        ? `RSS after touching ${int(last.fleet)} tenants${last.tenants < last.fleet ? ` (${int(last.tenants)} of them twice)` : " twice each"}: ${last.after.rssMb.toFixed(0)} MB (goal ≤ ${RSS_GOAL_MB} MB) — ${rssOk ? "held" : "exceeded"}.`
        : "",
      recipeAtLast !== null && last
        ? `The recipe at ${int(last.fleet)} tenants: ${recipeAtLast.toFixed(0)} MB and ${recipeLast?.after.dbSockets ?? "?"} sockets (measured, lean settings); ` +
          `Tenantry is ${(last.after.rssMb / recipeAtLast).toFixed(2)}× of it — ${fifthOk ? "within" : "above"} 1/5.`
        : last
          ? `The recipe was not measured at ${int(last.fleet)} tenants.`
          : "",
      shortfall ? `Shortfall: ${shortfall}.` : "",
      errors ? `${errors} touch requests failed.` : "",
    ]
      .filter(Boolean)
      .join(" "),
    closeGap: met
      ? null
      : [
          !socketsOk
            ? "Sockets: the pool exceeded maxPoolSize, which the driver should never allow — investigate before anything else."
            : "",
          !rssOk || !fifthOk
            ? "RSS: Tenantry's live heap is bounded (handle LRU, registry cache, token and auth-check caches), so its RSS barely moves between the two tenant counts; most of it is fixed cost — about 135 MB before the first request (Node itself ~41 MB, tsx's module-loader thread ~38 MB, then mongoose, the driver, tRPC and zod) — which counts against the 1/5 ratio however little each tenant costs. " +
              "Running the server from a compiled bundle instead of through tsx (about −38 MB), a smaller handle LRU, or a tighter heap policy (API_HEAP_GROWTH_PERCENT=50, paid for in more frequent collections) would close the rest."
            : "",
          shortfall && last && last.fleet < target
            ? "Provisioning: each tenant is a control record, a database with its collections and indexes, an owner, a directory entry and an activation, one command at a time to a single-threaded database that shares 2 cores with the provisioner; a quiet machine or provisioning spread over more workers fits 10,000."
            : "",
          shortfall && last && last.fleet >= target
            ? "Touches: a larger touch budget, or a quieter machine."
            : "",
        ]
          .filter(Boolean)
          .join(" "),
    tables: [
      {
        headers: [
          "process",
          "tenants",
          "touched twice",
          "touch req/s",
          "errors",
          "RSS after MB",
          "peak RSS MB",
          "DB sockets after (OS)",
          "peak DB sockets (OS)",
          "peak pooled sockets (driver)",
          "open fds (peak)",
        ],
        rows: rows.map((r) => [
          r.who,
          int(r.fleet),
          int(r.tenants),
          int(r.touch.rps),
          r.touch.errors,
          r.after.rssMb.toFixed(0),
          r.peak.rssMb.toFixed(0),
          int(r.after.dbSockets),
          int(r.peak.dbSockets),
          r.poolSocketsPeak ?? "—",
          int(r.peak.fds),
        ]),
      },
    ],
    notes: [
      "RSS from /proc/<pid>/status (VmRSS); OS socket counts: the process's socket inodes (/proc/<pid>/fd) matched against ESTABLISHED connections to the database port in /proc/<pid>/net/tcp, sampled every 0.5 s for Tenantry (every 1–2 s for the recipe) during the touches; 'after' is 1 s after the last touch. Pooled sockets: the API's tenantry_pool_sockets gauge (driver CMAP connectionCreated − connectionClosed), polled every 0.5 s.",
      "Every process under test runs with the Tenantry API server's default heap policy (API_HEAP_GROWTH_PERCENT=100: V8 grows the heap to at most 2× what is live, instead of up to ~4× by its own policy); BENCH_HEAP_GROWTH_PERCENT=0 measures V8's own policy.",
      `Touches are notes.list (page of 20) with each tenant's bearer token, ${s.touchConcurrency} connections, pass 1 over every tenant then pass 2. The recipe gets the same query over its own HTTP handler. Tenantry's LRU holds ${LRU_HANDLES} handles, so with more tenants than that most touches open a handle and evict another.`,
      `The recipe runs in two settings. 'driver defaults' is the recipe as blog posts write it: at the first step it held ${perTenantDefaults} sockets per tenant (a monitoring connection, an RTT pinger and a pooled socket), so ${int(target)} of its tenants would need ~${int(target * Number(perTenantDefaults))} fds in its process and as many in the database's, beyond this machine's hard limit of 20,000 per process (ulimit -Hn; raising it needs privileges the machine does not grant). 'lean' is the same recipe with monitoring by polling and pooled sockets closed after 1 s idle: one socket per tenant, which fits; it is measured at every tenant count and is what the 1/5 goal is judged against. Both settings make the baseline cheaper, never dearer, than as written.`,
      ...notes,
      ...rows.flatMap((r) => r.touch.errorSamples.map((e) => `error sample (${r.who}): ${e}`)),
    ],
    chart: {
      title: "Scenario 2 — RSS after touching every tenant twice",
      yLabel: "RSS (MB)",
      categories: counts.map((n) => `${int(n)} tenants`),
      series: (["Tenantry", "recipe, lean", "recipe, driver defaults"] as Who[])
        .filter((who) => rows.some((r) => r.who === who))
        .map((who) => ({
          name:
            who === "Tenantry"
              ? "Tenantry API"
              : `createConnection per tenant (${who.replace("recipe, ", "")})`,
          values: counts.map(
            (c) => rows.find((r) => r.who === who && r.fleet === c)?.after.rssMb ?? NaN,
          ),
        })),
      goal: { value: RSS_GOAL_MB, label: `${RSS_GOAL_MB} MB goal` },
    },
  };
}
