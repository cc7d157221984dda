// What a tenant module's router builds on (`@tenantry/api/module-kit`): the base procedures, the
// refusal and audit helpers and the shared input primitives. A module imports only this file of
// the api, so the api's internals can move without breaking modules.
import type { AnyTenantModule, ModuleSchemas, TenantModule } from "@tenantry/tenancy";
import { hasModuleModels } from "@tenantry/tenancy";
import type { AnyRouter } from "@trpc/server";
import { TRPCError } from "@trpc/server";

import { tenantProcedure } from "./trpc";

export { createTRPCRouter, featureProcedure, tenantProcedure, tenantAdminProcedure } from "./trpc";
export type { TenantContext } from "./trpc";
export { refuse } from "./api-errors";
export { recordTenantAudit } from "./routers/tenant-audit";
export { ZCursor, ZLimit, ZObjectId, ZSearch, searchRegex } from "./routers/shared.schema";

/**
 * tenantProcedure with ctx.tenant.models typed for the module. The check (a programming error
 * when it fails: the module is missing from createTenancy's modules) is what makes the type true.
 */
export function moduleProcedure<S extends ModuleSchemas>(module: TenantModule<S>) {
  return tenantProcedure.use(({ ctx, next }) => {
    if (!hasModuleModels(ctx.tenant, module))
      throw new TRPCError({
        code: "INTERNAL_SERVER_ERROR",
        message: `Tenant module "${module.name}" is not registered with createTenancy`,
      });
    return next({ ctx: { tenant: ctx.tenant } });
  });
}

/**
 * moduleProcedure for the module's creates: when the module declares a counted model, its plan
 * limit (named after the module) is checked first, by tenancy; over it the call gets 402
 * QUOTA_EXCEEDED and nothing is written.
 */
export function moduleCreateProcedure<S extends ModuleSchemas>(module: TenantModule<S>) {
  return moduleProcedure(module).use(async ({ ctx, next }) => {
    await ctx.services.tenancy.plans.assertItemRoom(ctx.tenant, module);
    return next();
  });
}

/** A tenant module with its router: what the app registers once (see app-modules.ts). */
export type AppModule<
  N extends string = string,
  R extends AnyRouter = AnyRouter,
> = AnyTenantModule & {
  name: N;
  router: R;
};

/** `{ ...notesModule, router: notesRouter }`, typed so the app router knows the procedures. */
export function defineAppModule<
  const N extends string,
  S extends ModuleSchemas,
  R extends AnyRouter,
>(module: TenantModule<S> & { name: N }, router: R): TenantModule<S> & { name: N; router: R } {
  return { ...module, router };
}
