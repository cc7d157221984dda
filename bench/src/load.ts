// The load generator: N keep-alive connections, each sending its next request as soon as the last
// answer is read, bounded by a duration or a request count. Latencies are kept whole (bounded by
// the run) so percentiles are exact, not bucketed.
import { Agent, request } from "node:http";

export interface LoadTarget {
  /** Path and query for request number i (across all connections). */
  path(i: number, conn: number): string;
  headers?(i: number, conn: number): Record<string, string>;
}

export interface LoadOptions {
  baseUrl: string;
  concurrency: number;
  durationMs?: number;
  requests?: number;
  target: LoadTarget;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** First few distinct error descriptions, for the report. */
  errorSamples: string[];
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

function once(
  agent: Agent,
  url: URL,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (!opts.durationMs && !opts.requests) throw new Error("runLoad needs durationMs or requests");
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  const errorSamples = new Set<string>();
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = opts.durationMs ? started + opts.durationMs : Infinity;
  const limit = opts.requests ?? Infinity;
  const worker = async (conn: number) => {
    while (performance.now() < deadline && issued < limit) {
      const i = issued++;
      const url = new URL(opts.target.path(i, conn), opts.baseUrl);
      const t0 = performance.now();
      try {
        const res = await once(agent, url, opts.target.headers?.(i, conn) ?? {});
        latencies.push(performance.now() - t0);
        if (res.status !== 200) {
          errors++;
          if (errorSamples.size < 5) errorSamples.add(`${res.status} ${res.body.slice(0, 160)}`);
        }
      } catch (err) {
        latencies.push(performance.now() - t0);
        errors++;
        if (errorSamples.size < 5) errorSamples.add((err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, c) => worker(c)));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    errorSamples: [...errorSamples],
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
    elapsedMs,
    rps: (latencies.length / elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    latencies,
  };
}
