import { createTRPCRouter, superAdminProcedure } from "../../../trpc";
import { adminActor } from "../admin-audit";
import { ZAddClusterInput } from "./clusters.schema";

// Cluster URIs carry credentials: they go in, encrypted by tenancy, and never come out.
export const adminClustersRouter = createTRPCRouter({
  list: superAdminProcedure.query(async ({ ctx }) => {
    const clusters = await ctx.services.tenancy.clusters.list();
    return clusters.map((c) => ({ name: c.name, tenantCount: c.tenantCount, healthy: c.healthy }));
  }),
  add: superAdminProcedure.input(ZAddClusterInput).mutation(async ({ ctx, input }) => {
    await ctx.services.tenancy.clusters.add({ name: input.name, uri: input.uri }, adminActor(ctx));
    return { name: input.name };
  }),
});
