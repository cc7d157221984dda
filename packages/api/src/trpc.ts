// The tRPC core: initTRPC, the error formatter and the base procedures, composed from named
// middlewares (middleware/*) and guards (auth/*-guard.ts). `t` itself is never exported.
import type { inferProcedureBuilderResolverOptions } from "@trpc/server";
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";

import { reasonOf } from "./api-errors";
import { verifiedSuperAdmin } from "./auth/admin-guard";
import { requireTenantAdmin, verifiedTenantClaims, withTenantPrincipal } from "./auth/tenant-guard";
import type { Context } from "./context";
import type { PlanFeature } from "./tenancy-port";
import { mapErrors } from "./middleware/error-mapping";
import { observe } from "./middleware/observe";
import { assertRequestAllowed, requestGuards } from "./middleware/request-guards";
import { outputTransformer } from "./output-transformer";

export type { Context } from "./context";
export { createInnerTRPCContext, createTRPCContext } from "./context";

// 1. Initialisation and the error formatter.
const t = initTRPC.context<Context>().create({
  // Responses use a faster writer of superjson's exact format; inputs are read by superjson itself.
  transformer: { input: superjson, output: outputTransformer },
  // Never send stack traces to callers; they go to the logs.
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const extra = reasonOf(cause);
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message: internal ? "Internal server error" : shape.message,
      data: {
        ...data,
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
        reason: extra.reason ?? (cause instanceof ZodError ? "INVALID_INPUT" : null),
        retryAfterSeconds: extra.retryAfterSeconds ?? null,
        suspendedReason: extra.suspendedReason ?? null,
        /** The scope an API key lacked (reason SCOPE_MISSING). */
        missingScope: extra.missingScope ?? null,
        quota: extra.quota ?? null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// 2. Base procedures. Middlewares that only call next() add no context copy; the guards add ctx.

// Each tRPC middleware level copies its options twice and adds promises (seen in the bench's CPU
// profile), so the hot paths use as few levels as the rules allow: observe and mapErrors share
// one (mapErrors returns its result, so observe sees the mapped error), and the tenant guards
// check the request rules in their own level.
const observedProcedure = t.procedure.use((opts) =>
  observe({ ...opts, next: () => mapErrors({ ctx: opts.ctx, next: opts.next }) }),
);

/** Observed, domain errors mapped, CSRF and batch rules enforced: every procedure starts here. */
export const publicProcedure = observedProcedure.use((opts) => requestGuards(opts));

/** A verified tenant access token; no tenant database touched yet. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const claims = await verifiedTenantClaims(ctx);
  ctx.state.tenantId = claims.tid;
  return next({ ctx: { claims } });
});

// One guard rather than authedProcedure.use(...): each tRPC middleware level that adds to the
// context copies the whole context object, and this is the path of every tenant call.
/** The token's tenant, leased for this call, with the live user (see auth/tenant-guard.ts). */
export const tenantProcedure = observedProcedure.use(({ ctx, type, path, next }) => {
  assertRequestAllowed(ctx, path, type);
  return withTenantPrincipal(
    ctx,
    { type, path },
    (principal) => next({ ctx: principal }),
    type === "mutation",
  );
});

/**
 * A tenant call about the caller's own account or session (password, switching organisation):
 * its mutations stay open while the tenant is read-only over its storage limit.
 */
export const accountProcedure = observedProcedure.use(({ ctx, type, path, next }) => {
  assertRequestAllowed(ctx, path, type);
  return withTenantPrincipal(ctx, { type, path }, (principal) => next({ ctx: principal }), false);
});

/**
 * A tenant call about the caller's own second factor (and who they are): open to a member whose
 * organisation requires two-factor sign-in before they have enrolled (auth/two-factor-gate.ts).
 */
export const enrolmentProcedure = observedProcedure.use(({ ctx, type, path, next }) => {
  assertRequestAllowed(ctx, path, type);
  return withTenantPrincipal(
    ctx,
    { type, path },
    (principal) => next({ ctx: principal }),
    false,
    "enrolment",
  );
});

/** A tenant call the tenant's plan must include (403 FEATURE_NOT_IN_PLAN otherwise). */
export const featureProcedure = (feature: PlanFeature) =>
  tenantProcedure.use(({ ctx, next }) => {
    ctx.services.tenancy.plans.assertFeature(ctx.tenant.tenant, feature);
    return next();
  });

/** Tenant owners and admins (role read from the tenant database, not the token). */
export const tenantAdminProcedure = tenantProcedure.use(({ ctx, next }) => {
  requireTenantAdmin(ctx.user);
  return next();
});

/** Super admins: a separate identity (control database `admins`), separate token audience. */
export const superAdminProcedure = publicProcedure.use(async ({ ctx, type, path, next }) =>
  next({ ctx: await verifiedSuperAdmin(ctx, { type, path }) }),
);

/** A super-admin call open before their second factor is set up: enrolment, who they are. */
export const adminEnrolmentProcedure = publicProcedure.use(async ({ ctx, type, path, next }) =>
  next({ ctx: await verifiedSuperAdmin(ctx, { type, path }, "enrolment") }),
);

// 3. What handlers behind each base procedure receive, inferred so it cannot drift.
export type TenantContext = inferProcedureBuilderResolverOptions<typeof tenantProcedure>["ctx"];
export type AdminContext = inferProcedureBuilderResolverOptions<typeof superAdminProcedure>["ctx"];
