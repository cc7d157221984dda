// Scenario 5: one tenant runs a heavy query load (a search that scans all its notes) while 50 others
// run normal reads; the others' p99 against their quiet baseline. Then per-tenant admission: one
// tenant sends 10× its plan's request rate while the others read at a steady rate, in slices
// alternating without and with it (the others' p50/p99 side by side, the noisy tenant's 429 and
// 503 counted); and admission's own cost, the same reads through an API with it on and one with
// it off (TENANT_ADMISSION=false), in alternating slices.
import { cpuMs } from "@tenantry/test-kit";

import type { ApiChild, BenchContext, ScenarioResult } from "../bench-context";
import { int, ms, startApi } from "../bench-context";
import type { BenchTenant } from "../fleet";
import type { LoadResult } from "../load";
import { mergeLoads, runLoad, trpcQueryPath } from "../load";

/** The rate case's goal: the others' p99 with the noisy tenant at most this × without it. */
const RATE_P99_GOAL = 1.5;

const readPath = () => trpcQueryPath("notes.list", { limit: 20 });
const bearer = (t: BenchTenant | undefined) => ({ authorization: `Bearer ${t?.token ?? ""}` });
const refusals = (r: LoadResult) => ({ r429: r.statuses[429] ?? 0, r503: r.statuses[503] ?? 0 });

interface RateCase {
  without: LoadResult;
  with: LoadResult;
  burn: LoadResult;
  noisy: LoadResult;
  offered: number;
}

/**
 * The others at a steady open-loop rate, in slices alternating without and with one tenant
 * sending 10× its plan's requestsPerMinute. The plan's window is a fixed minute that opens with
 * the tenant's first call and hands it the whole minute's calls at once, so a burn phase spends
 * them first (counted apart); the measured slices then see what the rest of each minute looks
 * like for a tenant 10× over its rate: every call refused.
 */
async function rateCase(
  ctx: BenchContext,
  api: ApiChild,
  others: BenchTenant[],
  noisy: BenchTenant,
): Promise<RateCase> {
  const r = ctx.sizes.noisy.rate;
  const offered = (10 * r.perMinute) / 60;
  const quiet = (durationMs: number) =>
    runLoad({
      baseUrl: api.info.url,
      concurrency: others.length,
      durationMs,
      rate: r.quietRate,
      target: { path: readPath, headers: (i) => bearer(others[i % others.length]) },
    });
  const loud = (durationMs: number) =>
    runLoad({
      baseUrl: api.info.url,
      concurrency: r.connections,
      durationMs,
      rate: offered,
      target: { path: readPath, headers: () => bearer(noisy) },
    });
  ctx.log(`noisy: tenant at 10× its ${r.perMinute}/min (${offered.toFixed(0)} req/s offered)`);
  // Until its first refusal (a loaded machine may not serve the offered rate), within the minute.
  const burnParts: LoadResult[] = [];
  const burnStarted = Date.now();
  while (!burnParts.some((p) => p.statuses[429]) && Date.now() - burnStarted < 50_000)
    burnParts.push(await loud(1000));
  const burn = mergeLoads(burnParts);
  const without: LoadResult[] = [];
  const withNoisy: LoadResult[] = [];
  const noisyParts: LoadResult[] = [];
  for (let i = 0; i < r.slices; i++) {
    without.push(await quiet(r.sliceMs));
    const [q, n] = await Promise.all([quiet(r.sliceMs), loud(r.sliceMs)]);
    withNoisy.push(q);
    noisyParts.push(n);
  }
  return {
    without: mergeLoads(without),
    with: mergeLoads(withNoisy),
    burn,
    noisy: mergeLoads(noisyParts),
    offered,
  };
}

interface Slice {
  load: LoadResult;
  /** The API process's CPU over the slice, ms. */
  cpu: number;
}

interface CostCell {
  connections: number;
  on: LoadResult & { cpuUs: number };
  off: LoadResult & { cpuUs: number };
}

/** One tenant's reads through the API with admission and through one without, slice by slice. */
async function costCase(
  ctx: BenchContext,
  on: ApiChild,
  off: ApiChild,
  tenant: BenchTenant,
): Promise<CostCell[]> {
  const c = ctx.sizes.noisy.cost;
  const slice = async (api: ApiChild, connections: number): Promise<Slice> => {
    const before = await cpuMs(api.pid);
    const load = await runLoad({
      baseUrl: api.info.url,
      concurrency: connections,
      durationMs: c.sliceMs,
      target: { path: readPath, headers: () => bearer(tenant) },
    });
    return { load, cpu: (await cpuMs(api.pid)) - before };
  };
  const cells: CostCell[] = [];
  for (const connections of c.connections) {
    // Warm both.
    for (let i = 0; i < 2; i++) {
      await slice(on, connections);
      await slice(off, connections);
    }
    const parts: { on: Slice[]; off: Slice[] } = { on: [], off: [] };
    // Alternating which goes first, so neither always follows the other's slice.
    for (let i = 0; i < c.slices; i++) {
      if (i % 2) parts.off.push(await slice(off, connections));
      parts.on.push(await slice(on, connections));
      if (!(i % 2)) parts.off.push(await slice(off, connections));
    }
    const merged = (ps: Slice[]) => {
      const load = mergeLoads(ps.map((p) => p.load));
      const cpu = ps.reduce((n, p) => n + p.cpu, 0);
      return { ...load, cpuUs: load.requests ? (1000 * cpu) / load.requests : NaN };
    };
    cells.push({ connections, on: merged(parts.on), off: merged(parts.off) });
  }
  return cells;
}

export async function noisyScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const s = ctx.sizes.noisy;
  const heavy = ctx.fleet.tenants[1];
  const others = ctx.fleet.tenants.slice(2, 2 + s.others);
  const rateNoisy = ctx.fleet.tenants[2 + s.others];
  if (!heavy || !rateNoisy || others.length < s.others) throw new Error("noisy needs more tenants");
  await ctx.fleet.addNotes(heavy, s.heavyNotes);
  // The rate case's tenant: the bench's enterprise plan with a lower requestsPerMinute override.
  await ctx.fleet.tenancy.plans.setPlan(rateNoisy.id, {
    plan: "enterprise",
    limits: { requestsPerMinute: s.rate.perMinute },
  });
  const api = await startApi(ctx);
  let admitted: ApiChild | null = null;
  let unadmitted: ApiChild | null = null;
  try {
    const normal = (durationMs: number) =>
      runLoad({
        baseUrl: api.info.url,
        concurrency: others.length,
        durationMs,
        // The tenants in turn, each reading its own notes. (Not by connection: autocannon starts a
        // fresh request context on every pass through its one-request list, so the connection
        // number kept there grew per request and most calls went out with no token: 401s.)
        target: {
          path: () => trpcQueryPath("notes.list", { limit: 20 }),
          headers: (i) => ({ authorization: `Bearer ${others[i % others.length]?.token ?? ""}` }),
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
    const heavyMet = ratio <= 2 && loud.errors === 0 && quiet.errors === 0;

    const rate = await rateCase(ctx, api, others, rateNoisy);
    const rateRatio = rate.with.p99 / rate.without.p99;
    const refused = refusals(rate.noisy);
    const burnRefused = refusals(rate.burn);
    const rateMet =
      rateRatio <= RATE_P99_GOAL &&
      rate.with.errors === 0 &&
      rate.without.errors === 0 &&
      refused.r429 + refused.r503 > 0;

    ctx.log("noisy: admission's own cost (on vs TENANT_ADMISSION=false)");
    // Two fresh processes, so neither has a warmer JIT or a grown heap from the cases above.
    admitted = await startApi(ctx);
    unadmitted = await startApi(ctx, { env: { TENANT_ADMISSION: "false" } });
    const cost = await costCase(ctx, admitted, unadmitted, others[0] ?? rateNoisy);
    const costNote = cost
      .map(
        (c) =>
          `${c.connections} conn: p50 ${ms(c.on.p50)} vs ${ms(c.off.p50)} ms (${(c.on.p50 - c.off.p50 >= 0 ? "+" : "") + ms(c.on.p50 - c.off.p50)} ms), CPU ${int(c.on.cpuUs)} vs ${int(c.off.cpuUs)} µs/req`,
      )
      .join("; ");
    const met = heavyMet && rateMet;
    return {
      id: 5,
      slug: "noisy",
      title: `Noisy neighbour: 1 tenant scanning ${int(s.heavyNotes)} notes on ${s.heavyConnections} connections vs ${others.length} tenants reading`,
      goal: `the others' p99 stays within 2× of their quiet baseline; with one tenant 10× over its plan's rate, within ${RATE_P99_GOAL}× of the same slices without it, and the noisy tenant's calls refused (429/503 counted)`,
      verdict: met ? "met" : heavyMet || rateMet ? "partly met" : "not met",
      why:
        `Others' p99 ${ms(quiet.p99)} ms quiet → ${ms(loud.p99)} ms with the heavy tenant (${ratio.toFixed(2)}×); ` +
        `their req/s ${int(quiet.rps)} → ${int(loud.rps)}; the heavy tenant got ${int(heavyRun.rps)} req/s (p99 ${ms(heavyRun.p99)} ms). ` +
        `Tenancy bounds each tenant's in-flight calls by its plan (inFlight; the bench's enterprise plan: 64) with a bounded queue behind it, so the heavy tenant queues behind itself rather than filling the pool. ` +
        `Rate case: one tenant at 10× its ${int(s.rate.perMinute)} calls/min (${int(rate.offered)} req/s offered on ${s.rate.connections} connections) while the others read at ${int(s.rate.quietRate)} req/s: ` +
        `their p50/p99 ${ms(rate.without.p50)}/${ms(rate.without.p99)} ms without it → ${ms(rate.with.p50)}/${ms(rate.with.p99)} ms with it (p99 ${rateRatio.toFixed(2)}×); ` +
        `the noisy tenant got ${int(rate.noisy.statuses[200] ?? 0)} answers, ${int(refused.r429)} × 429 and ${int(refused.r503)} × 503 in the measured slices (its burn phase before: ${int(rate.burn.statuses[200] ?? 0)} answered, ${int(burnRefused.r429)} × 429). ` +
        `Admission's own cost (API with it vs TENANT_ADMISSION=false, same reads): ${costNote}.`,
      closeGap: met
        ? null
        : "The heavy tenant's in-flight bound limits how many scans run at once, but each scan still occupies the single-threaded database and the shared 2 cores; " +
          "a lower inFlight override for such a tenant, a per-procedure cost, or a database with real parallelism (mongod) would keep the others' p99 closer. " +
          "A refused call still costs the HTTP, tRPC, token and registry work before admission refuses it; on 2 shared cores that work competes with the others' reads.",
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
        {
          caption: `Rate case: the others at ${int(s.rate.quietRate)} req/s (open loop), slices alternating without and with one tenant sending 10× its plan's ${int(s.rate.perMinute)} calls/min`,
          headers: [
            "slices",
            "who",
            "requests",
            "req/s",
            "p50 ms",
            "p99 ms",
            "200",
            "429",
            "503",
            "other errors",
          ],
          rows: [
            rateRow("without the noisy tenant", `${others.length} other tenants`, rate.without),
            rateRow("with the noisy tenant", `${others.length} other tenants`, rate.with),
            rateRow(
              "with the noisy tenant",
              `noisy tenant (${int(rate.offered)} req/s offered)`,
              rate.noisy,
            ),
            rateRow("burn phase before", "noisy tenant, spending its minute", rate.burn),
          ],
        },
        {
          caption:
            "Admission's own cost: notes.list on one tenant, API with admission vs API with TENANT_ADMISSION=false, alternating slices",
          headers: [
            "connections",
            "with: req/s",
            "p50 ms",
            "p99 ms",
            "CPU µs/req",
            "without: req/s",
            "p50 ms",
            "p99 ms",
            "CPU µs/req",
            "p50 difference ms",
          ],
          rows: cost.map((c) => [
            c.connections,
            int(c.on.rps),
            ms(c.on.p50),
            ms(c.on.p99),
            int(c.on.cpuUs),
            int(c.off.rps),
            ms(c.off.p50),
            ms(c.off.p99),
            int(c.off.cpuUs),
            ms(c.on.p50 - c.off.p50),
          ]),
        },
      ],
      notes: [
        `${s.durationMs / 1000} s per phase. Normal reads: notes.list page of 20 (each tenant has ${ctx.sizes.notesPerTenant} notes). Heavy: notes.list with a search matching nothing over ${int(s.heavyNotes + ctx.sizes.notesPerTenant)} notes.`,
        `Rate case: ${s.rate.slices} slices of ${s.rate.sliceMs / 1000} s each way; the others (one connection per tenant, the tenants in turn) at ${int(s.rate.quietRate)} req/s together (autocannon overallRate), the noisy tenant ${int(rate.offered)} req/s on ${s.rate.connections} connections. The plan's window is a fixed minute opened by the tenant's first call, which may spend the whole minute's calls at once: the burn phase (${int(rate.burn.requests)} calls) spends them before the measured slices, which then show the rest of such a minute. Each instance adds its count to the shared one every TENANT_RATE_SYNC_MS (500 ms), not once per call.`,
        `Admission cost: ${ctx.sizes.noisy.cost.slices} slices of ${ctx.sizes.noisy.cost.sliceMs / 1000} s each way per connection count after two warm-up slices of each, the order alternating; CPU per request is the API process's own (/proc).`,
        ...[quiet, loud, heavyRun, rate.without, rate.with].flatMap((r) =>
          r.errorSamples.map((e) => `error sample: ${e}`),
        ),
      ],
      chart: {
        title: "Scenario 5 — the other tenants' latency, quiet vs with a noisy neighbour",
        yLabel: "milliseconds",
        categories: ["p50", "p99"],
        series: [
          { name: "quiet", values: [quiet.p50, quiet.p99] },
          { name: "with noisy neighbour", values: [loud.p50, loud.p99] },
          { name: "rate case: without", values: [rate.without.p50, rate.without.p99] },
          { name: "rate case: with 10× tenant", values: [rate.with.p50, rate.with.p99] },
        ],
        goal: { value: quiet.p99 * 2, label: "2× quiet p99" },
        digits: 1,
      },
    };
  } finally {
    await unadmitted?.stop();
    await admitted?.stop();
    await api.stop();
  }
}

function rateRow(phase: string, who: string, r: LoadResult): (string | number)[] {
  const { r429, r503 } = refusals(r);
  const ok = r.statuses[200] ?? 0;
  return [
    phase,
    who,
    int(r.requests),
    int(r.rps),
    ms(r.p50),
    ms(r.p99),
    int(ok),
    int(r429),
    int(r503),
    int(r.errors - r429 - r503),
  ];
}
