// Scenario 3: a working set 10x the handle LRU, many concurrent clients, for a fixed time — against
// the same load on a working set that fits the LRU. Evictions and "evicted while leased" come from
// the API's /metrics (tenancy pool statistics).
import type { BenchContext, ScenarioResult } from "../bench-context";
import { int, ms, poolMetrics, startApi } from "../bench-context";
import type { LoadResult } from "../load";
import { runLoad, trpcQueryPath } from "../load";
import type { ProcSample } from "../proc-stats";
import { watch } from "../proc-stats";

interface Run {
  label: string;
  workingSet: number;
  load: LoadResult;
  evictions: number;
  evictedWhileLeased: number;
  peak: ProcSample;
}

export async function churnScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const s = ctx.sizes.churn;
  const all = ctx.fleet.tenants;
  // With fewer tenants than planned (provisioning cut by its budget) the LRU shrinks so the
  // working set stays 10x it; the report says so.
  const lru = Math.min(s.lru, Math.floor(all.length / s.workingSetFactor));
  if (lru < 1)
    throw new Error(`churn needs at least ${s.workingSetFactor} tenants, have ${all.length}`);
  const hot = lru * s.workingSetFactor;
  const runs: Run[] = [];
  const plan = [
    {
      label: `working set ${s.workingSetFactor}× LRU (churn)`,
      workingSet: hot,
      durationMs: s.durationMs,
    },
    {
      label: "working set ½ LRU (no churn)",
      workingSet: Math.max(1, Math.floor(lru / 2)),
      durationMs: s.inCacheMs,
    },
  ];
  for (const p of plan) {
    // A fresh API per run so each starts with an empty cache and zeroed counters.
    const api = await startApi(ctx, { maxHandles: lru });
    try {
      ctx.log(`churn: ${p.label}, ${s.clients} clients, ${p.durationMs / 1000} s`);
      const set = all.slice(0, p.workingSet);
      let seed = 12345;
      const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      // Each request picks its tenant at random from the set; the token is that tenant's.
      const picks = new Map<number, string>();
      const w = watch(api.pid, ctx.mongo.port, 500);
      const load = await runLoad({
        baseUrl: api.info.url,
        concurrency: s.clients,
        durationMs: p.durationMs,
        target: {
          path: (i) => {
            const t = set[Math.floor(rand() * set.length)] ?? set[0];
            picks.set(i, t?.token ?? "");
            return trpcQueryPath("notes.list", { limit: 20 });
          },
          headers: (i) => {
            const token = picks.get(i) ?? "";
            picks.delete(i);
            return { authorization: `Bearer ${token}` };
          },
        },
      });
      const peak = await w.stop();
      const m = await poolMetrics(api.info.url);
      runs.push({
        label: p.label,
        workingSet: p.workingSet,
        load,
        evictions: m.get("tenantry_pool_evictions") ?? NaN,
        evictedWhileLeased: m.get("tenantry_pool_evicted_while_leased") ?? NaN,
        peak,
      });
    } finally {
      await api.stop();
    }
  }
  const churn = runs[0];
  const calm = runs[1];
  if (!churn || !calm) throw new Error("churn runs missing");
  const met =
    churn.load.errors === 0 &&
    churn.evictedWhileLeased === 0 &&
    Number.isFinite(churn.evictedWhileLeased);
  return {
    id: 3,
    slug: "churn",
    title: `Churn: working set ${int(hot)} tenants = ${s.workingSetFactor}× an LRU of ${int(lru)} handles, ${s.clients} clients`,
    goal: "no errors; handles evicted while leased = 0 (req/s, p99 and evictions reported)",
    verdict: met ? "met" : "not met",
    why:
      `Under churn: ${int(churn.load.requests)} requests, ${churn.load.errors} errors, ${int(churn.evictions)} evictions, ` +
      `${churn.evictedWhileLeased} evicted while leased; ${int(churn.load.rps)} req/s, p99 ${ms(churn.load.p99)} ms ` +
      `(vs ${int(calm.load.rps)} req/s, p99 ${ms(calm.load.p99)} ms when the working set fits the LRU).`,
    closeGap: met
      ? null
      : "Errors or leased evictions mean the LRU disposed a handle still in use: eviction must wait for the lease count to reach zero (dispose on release).",
    tables: [
      {
        headers: [
          "run",
          "working set",
          "duration s",
          "requests",
          "req/s",
          "p50 ms",
          "p99 ms",
          "errors",
          "evictions",
          "evicted while leased",
          "peak DB sockets",
        ],
        rows: runs.map((r) => [
          r.label,
          int(r.workingSet),
          (r.load.elapsedMs / 1000).toFixed(0),
          int(r.load.requests),
          int(r.load.rps),
          ms(r.load.p50),
          ms(r.load.p99),
          r.load.errors,
          int(r.evictions),
          r.evictedWhileLeased,
          r.peak.dbSockets,
        ]),
      },
    ],
    notes: [
      "Each request picks a tenant uniformly at random from the working set (fixed seed) and sends notes.list with that tenant's token.",
      "Each run uses a fresh API process, so its cache starts empty and the counters start at zero.",
      ...(lru < s.lru
        ? [
            `The LRU was lowered from ${int(s.lru)} to ${int(lru)} handles because only ${int(all.length)} tenants were provisioned (scenario 2).`,
          ]
        : []),
      ...runs.flatMap((r) => r.load.errorSamples.map((e) => `error sample (${r.label}): ${e}`)),
    ],
    chart: {
      title: "Scenario 3 — churn vs a working set that fits the LRU",
      yLabel: "requests / s",
      categories: runs.map((r) => r.label),
      series: [
        { name: "req/s", values: runs.map((r) => r.load.rps) },
        { name: "p99 ms ×10", values: runs.map((r) => r.load.p99 * 10) },
      ],
    },
  };
}
