import { createTRPCRouter, superAdminProcedure } from "../../../trpc";
import { adminActor } from "../admin-audit";
import { ZCreateAdminInput, ZDisableAdminInput } from "./admins.schema";

// Super admins manage each other through tenancy's admins use cases: the password policy, the
// "never the last active admin" rule and the audit entries live there. Hashes never come out.
const publicAdmin = (a: { id: string; email: string; name: string; status: string }) => ({
  id: a.id,
  email: a.email,
  name: a.name,
  status: a.status,
});

export const adminAdminsRouter = createTRPCRouter({
  list: superAdminProcedure.query(async ({ ctx }) => {
    const admins = await ctx.services.tenancy.admins.list();
    return admins.map((a) => ({
      ...publicAdmin(a),
      lastLoginAt: a.lastLoginAt,
      createdAt: a.createdAt,
      you: a.id === ctx.admin.id,
    }));
  }),
  create: superAdminProcedure.input(ZCreateAdminInput).mutation(async ({ ctx, input }) => {
    return publicAdmin(await ctx.services.tenancy.admins.create(input, adminActor(ctx)));
  }),
  disable: superAdminProcedure.input(ZDisableAdminInput).mutation(async ({ ctx, input }) => {
    return publicAdmin(await ctx.services.tenancy.admins.disable(input.email, adminActor(ctx)));
  }),
});
