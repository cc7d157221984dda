// In-process half of tracing-cost.ts, bundled in the same two variants: CPU time per tRPC call
// through the observation middleware (metrics, log line, tracing hook) on a procedure that does
// nothing else, so the hook's own cost is not hidden under a request's network and database work.
import pino from "pino";

import { createMetrics } from "../src/metrics";
import type { ApiServices } from "../src/services";
import {
  createCallerFactory,
  createInnerTRPCContext,
  createTRPCRouter,
  publicProcedure,
} from "../src/trpc";

const router = createTRPCRouter({ ping: publicProcedure.query(() => "pong") });
const idle = { handles: 0, leasesByTenant: {}, registry: {} };
const services = {
  logger: pino({ level: "silent" }),
  metrics: createMetrics({
    tenancy: { stats: () => idle as never },
    activeTenantCalls: new Map(),
    authChecks: { stats: () => ({ size: 0, hits: 0, misses: 0, invalidations: 0 }) },
  }),
  config: {},
} as unknown as ApiServices;
const caller = createCallerFactory(router)(
  createInnerTRPCContext({ services, surface: "app", requestId: "bench" }),
);

/** CPU µs per call over `n` sequential calls. */
export async function cpuMicrosPerCall(n: number): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) await caller.ping();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / n;
}
