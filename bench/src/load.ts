// The load generator: autocannon with N keep-alive connections, each sending its next request as
// soon as the last answer is read, bounded by a duration or a request count. Every response's
// latency is kept whole (bounded by the run) so percentiles are exact, not autocannon's
// whole-millisecond histogram; the request for number i (across all connections) is built per
// request, so each can carry its own tenant's path and token.
import autocannon from "autocannon";

export interface LoadTarget {
  /**
   * Path and query for request number i (across all connections). `conn` is not a stable
   * connection number: autocannon gives each pass through the request list a fresh context.
   */
  path(i: number, conn: number): string;
  headers?(i: number, conn: number): Record<string, string>;
}

export interface LoadOptions {
  baseUrl: string;
  concurrency: number;
  durationMs?: number;
  requests?: number;
  /** Open loop: this many requests per second over all connections (default: as fast as answered). */
  rate?: number;
  target: LoadTarget;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** First few distinct error descriptions, for the report. */
  errorSamples: string[];
  /** Responses by HTTP status (e.g. refusals: 429, 503). */
  statuses: Record<number, number>;
  elapsedMs: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  latencies: number[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? NaN;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (!opts.durationMs && !opts.requests) throw new Error("runLoad needs durationMs or requests");
  const latencies: number[] = [];
  const errorSamples = new Set<string>();
  const statuses: Record<number, number> = {};
  let errors = 0;
  let issued = 0;
  let conns = 0;
  const connections = Math.max(1, Math.min(opts.concurrency, opts.requests ?? Infinity));
  const started = performance.now();
  let finished: (err: Error | null) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finished = (err) => (err ? reject(err) : resolve());
  });
  // With a callback autocannon hands back its instance (an event emitter), not a promise.
  const instance = autocannon(
    {
      url: opts.baseUrl,
      connections,
      // A request count runs to its end unless the time budget below stops it first.
      ...(opts.requests ? { amount: opts.requests } : { duration: (opts.durationMs ?? 0) / 1000 }),
      timeout: 30,
      ...(opts.rate ? { overallRate: opts.rate } : {}),
      requests: [
        {
          method: "GET",
          setupRequest(req, context: { conn?: number }) {
            context.conn ??= conns++;
            const i = issued++;
            return {
              ...req,
              path: opts.target.path(i, context.conn),
              headers: opts.target.headers?.(i, context.conn) ?? {},
            };
          },
        },
      ],
    },
    (err) => finished(err),
  );
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status !== 200) {
      errors++;
      if (errorSamples.size < 5) errorSamples.add(`HTTP ${status}`);
    }
  });
  instance.on("reqError", (err: Error) => {
    errors++;
    if (errorSamples.size < 5) errorSamples.add(err.message);
  });
  const budget =
    opts.requests && opts.durationMs ? setTimeout(() => instance.stop(), opts.durationMs) : null;
  await done;
  if (budget) clearTimeout(budget);
  const elapsedMs = performance.now() - started;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    errorSamples: [...errorSamples],
    statuses,
    elapsedMs,
    rps: (latencies.length / elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    latencies,
  };
}

/** A tRPC query over GET the way httpLink sends it (superjson-wrapped input). */
export function trpcQueryPath(procedure: string, input: unknown): string {
  return `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}

/** One result from several runs of the same target (e.g. slices interleaved with another target). */
export function mergeLoads(parts: LoadResult[]): LoadResult {
  const latencies = parts.flatMap((p) => p.latencies);
  const sorted = [...latencies].sort((a, b) => a - b);
  const elapsedMs = parts.reduce((n, p) => n + p.elapsedMs, 0);
  return {
    requests: latencies.length,
    errors: parts.reduce((n, p) => n + p.errors, 0),
    errorSamples: [...new Set(parts.flatMap((p) => p.errorSamples))].slice(0, 5),
    statuses: parts.reduce<Record<number, number>>((all, p) => {
      for (const [status, n] of Object.entries(p.statuses))
        all[Number(status)] = (all[Number(status)] ?? 0) + n;
      return all;
    }, {}),
    elapsedMs,
    rps: (latencies.length / elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    latencies,
  };
}
