import { hostname } from "node:os";

import { createTRPCRouter, superAdminProcedure } from "../../../trpc";

const uptimeSeconds = (startedAt: Date) =>
  Math.max(0, Math.round((Date.now() - startedAt.getTime()) / 1000));

export const adminSystemRouter = createTRPCRouter({
  /** Connection-pool statistics of this instance (handles, leases, hits, misses, evictions, …). */
  stats: superAdminProcedure.query(({ ctx }) => ({
    pool: ctx.services.tenancy.stats(),
    at: new Date(),
  })),
  info: superAdminProcedure.query(({ ctx }) => {
    const mem = process.memoryUsage();
    return {
      instanceId: ctx.services.config.instanceId,
      version: ctx.services.config.version,
      hostname: hostname(),
      pid: process.pid,
      node: process.version,
      startedAt: ctx.services.config.startedAt,
      // From startedAt, as the fleet counts it (not process.uptime(): a Next app's process
      // starts before its API services do).
      uptimeSeconds: uptimeSeconds(ctx.services.config.startedAt),
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
    };
  }),
  /** Every API instance with the figures it reported itself; `answeredBy` is this one. */
  fleet: superAdminProcedure.query(async ({ ctx }) => ({
    answeredBy: ctx.services.config.instanceId,
    at: new Date(),
    instances: await ctx.services.tenancy.fleet.list(),
  })),
});
