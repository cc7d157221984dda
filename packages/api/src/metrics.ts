// In-process Prometheus counters. Deliberately tiny: one counter family and one histogram, plus
// the tenancy pool gauges sampled at scrape time.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface ApiMetrics {
  observeCall(procedure: string, outcome: string, seconds: number): void;
  observeHttp(route: string, status: number): void;
  render(poolStats: object, extra?: Record<string, number>): string;
}

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

export function createMetrics(): ApiMetrics {
  const calls = new Map<string, number>();
  const http = new Map<string, number>();
  const hist = new Map<string, { buckets: number[]; sum: number; count: number }>();
  return {
    observeCall(procedure, outcome, seconds) {
      const key = `procedure="${esc(procedure)}",outcome="${esc(outcome)}"`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      let h = hist.get(procedure);
      if (!h) hist.set(procedure, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
      BUCKETS.forEach((b, i) => {
        if (seconds <= b) h.buckets[i] = (h.buckets[i] ?? 0) + 1;
      });
      h.sum += seconds;
      h.count += 1;
    },
    observeHttp(route, status) {
      const key = `route="${esc(route)}",status="${status}"`;
      http.set(key, (http.get(key) ?? 0) + 1);
    },
    render(poolStats, extra = {}) {
      const lines: string[] = [];
      lines.push(
        "# HELP tenantry_trpc_requests_total tRPC procedure calls by procedure and outcome.",
      );
      lines.push("# TYPE tenantry_trpc_requests_total counter");
      for (const [k, v] of calls) lines.push(`tenantry_trpc_requests_total{${k}} ${v}`);
      lines.push("# HELP tenantry_trpc_duration_seconds tRPC procedure latency.");
      lines.push("# TYPE tenantry_trpc_duration_seconds histogram");
      for (const [p, h] of hist) {
        BUCKETS.forEach((b, i) =>
          lines.push(
            `tenantry_trpc_duration_seconds_bucket{procedure="${esc(p)}",le="${b}"} ${h.buckets[i] ?? 0}`,
          ),
        );
        lines.push(
          `tenantry_trpc_duration_seconds_bucket{procedure="${esc(p)}",le="+Inf"} ${h.count}`,
        );
        lines.push(`tenantry_trpc_duration_seconds_sum{procedure="${esc(p)}"} ${h.sum}`);
        lines.push(`tenantry_trpc_duration_seconds_count{procedure="${esc(p)}"} ${h.count}`);
      }
      lines.push("# HELP tenantry_http_responses_total HTTP responses by route and status.");
      lines.push("# TYPE tenantry_http_responses_total counter");
      for (const [k, v] of http) lines.push(`tenantry_http_responses_total{${k}} ${v}`);
      // Every numeric pool statistic becomes a gauge; nested objects are flattened with "_".
      const flat: [string, number][] = [];
      const walk = (prefix: string, o: unknown) => {
        if (typeof o === "number" && Number.isFinite(o)) flat.push([prefix, o]);
        else if (o && typeof o === "object" && !Array.isArray(o)) {
          for (const [k, v] of Object.entries(o))
            walk(`${prefix}_${k.replace(/[^A-Za-z0-9_]/g, "_")}`, v);
        }
      };
      walk("tenantry_pool", poolStats);
      for (const [k, v] of Object.entries(extra)) flat.push([k, v]);
      for (const [name, v] of flat) {
        const metric = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
        lines.push(`# TYPE ${metric} gauge`, `${metric} ${v}`);
      }
      return lines.join("\n") + "\n";
    },
  };
}
