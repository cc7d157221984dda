import { hostname } from "node:os";

import { createTRPCRouter, superAdminProcedure } from "../../../trpc";

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
      version: ctx.services.config.version ?? "0.1.0",
      hostname: hostname(),
      pid: process.pid,
      node: process.version,
      startedAt: ctx.services.config.startedAt,
      uptimeSeconds: Math.round(process.uptime()),
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
    };
  }),
});
