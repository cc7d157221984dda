// Scenario 5: one tenant runs a heavy query load (a search that scans all its notes) while 50 others
// run normal reads; the others' p99 against their quiet baseline.
import type { BenchContext, ScenarioResult } from "../bench-context";
import { int, ms, startApi } from "../bench-context";
import type { LoadResult } from "../load";
import { runLoad, trpcQueryPath } from "../load";

export async function noisyScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const s = ctx.sizes.noisy;
  const heavy = ctx.fleet.tenants[1];
  const others = ctx.fleet.tenants.slice(2, 2 + s.others);
  if (!heavy || others.length < s.others) throw new Error("noisy needs more tenants");
  await ctx.fleet.addNotes(heavy, s.heavyNotes);
  const api = await startApi(ctx);
  try {
    const normal = (durationMs: number) =>
      runLoad({
        baseUrl: api.info.url,
        concurrency: others.length,
        durationMs,
        // One connection per tenant, each reading its own notes.
        target: {
          path: () => trpcQueryPath("notes.list", { limit: 20 }),
          headers: (_i, conn) => ({ authorization: `Bearer ${others[conn]?.token ?? ""}` }),
        },
      });
    const noisyLoad = (durationMs: number) =>
      runLoad({
        baseUrl: api.info.url,
        concurrency: s.heavyConnections,
        durationMs,
        // A search no note matches: the server scans every note's title and body.
        target: {
          path: () => trpcQueryPath("notes.list", { limit: 50, search: "no-such-word-anywhere" }),
          headers: () => ({ authorization: `Bearer ${heavy.token}` }),
        },
      });
    await normal(Math.min(2000, s.durationMs)); // warm every tenant's handle
    ctx.log("noisy: quiet baseline");
    const quiet = await normal(s.durationMs);
    ctx.log("noisy: with the heavy tenant");
    const [loud, heavyRun]: [LoadResult, LoadResult] = await Promise.all([
      normal(s.durationMs),
      noisyLoad(s.durationMs),
    ]);
    const ratio = loud.p99 / quiet.p99;
    const met = ratio <= 2 && loud.errors === 0 && quiet.errors === 0;
    return {
      id: 5,
      slug: "noisy",
      title: `Noisy neighbour: 1 tenant scanning ${int(s.heavyNotes)} notes on ${s.heavyConnections} connections vs ${others.length} tenants reading`,
      goal: "the others' p99 stays within 2× of their quiet baseline",
      verdict: met ? "met" : "not met",
      why:
        `Others' p99 ${ms(quiet.p99)} ms quiet → ${ms(loud.p99)} ms with the heavy tenant (${ratio.toFixed(2)}×); ` +
        `their req/s ${int(quiet.rps)} → ${int(loud.rps)}; the heavy tenant got ${int(heavyRun.rps)} req/s (p99 ${ms(heavyRun.p99)} ms). ` +
        `Tenancy caps in-flight operations per tenant (perTenantConcurrency, default 8), so the heavy tenant queues behind itself rather than filling the pool.`,
      closeGap: met
        ? null
        : "The heavy tenant's in-flight cap bounds how many scans run at once, but each scan still occupies the single-threaded database and the shared 2 cores; " +
          "a lower per-tenant cap for expensive procedures, a per-tenant rate limit, or a database with real parallelism (mongod) would keep the others' p99 closer.",
      tables: [
        {
          headers: [
            "phase",
            "who",
            "connections",
            "requests",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
          ],
          rows: [
            [
              "quiet",
              `${others.length} normal tenants`,
              others.length,
              int(quiet.requests),
              int(quiet.rps),
              ms(quiet.p50),
              ms(quiet.p99),
              quiet.errors,
            ],
            [
              "noisy",
              `${others.length} normal tenants`,
              others.length,
              int(loud.requests),
              int(loud.rps),
              ms(loud.p50),
              ms(loud.p99),
              loud.errors,
            ],
            [
              "noisy",
              "heavy tenant (search scan)",
              s.heavyConnections,
              int(heavyRun.requests),
              int(heavyRun.rps),
              ms(heavyRun.p50),
              ms(heavyRun.p99),
              heavyRun.errors,
            ],
          ],
        },
      ],
      notes: [
        `${s.durationMs / 1000} s per phase. Normal reads: notes.list page of 20 (each tenant has ${ctx.sizes.notesPerTenant} notes). Heavy: notes.list with a search matching nothing over ${int(s.heavyNotes + ctx.sizes.notesPerTenant)} notes.`,
        ...[quiet, loud, heavyRun].flatMap((r) => r.errorSamples.map((e) => `error sample: ${e}`)),
      ],
      chart: {
        title: "Scenario 5 — the other tenants' latency, quiet vs with a noisy neighbour",
        yLabel: "milliseconds",
        categories: ["p50", "p99"],
        series: [
          { name: "quiet", values: [quiet.p50, quiet.p99] },
          { name: "with noisy neighbour", values: [loud.p50, loud.p99] },
        ],
        goal: { value: quiet.p99 * 2, label: "2× quiet p99" },
        digits: 1,
      },
    };
  } finally {
    await api.stop();
  }
}
