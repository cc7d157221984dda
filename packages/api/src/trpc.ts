// The whole tRPC setup: initTRPC, the error formatter, the one middleware that observes calls and
// translates domain errors, and the base procedures. `t` itself is never exported.
import type { Span } from "@opentelemetry/api";
import type { TRPCError } from "@trpc/server";
import { initTRPC } from "@trpc/server";
import { Types } from "mongoose";
import superjson from "superjson";
import { z, ZodError } from "zod";

import { TokenInvalid } from "./auth/access-tokens";
import type { AdminClaims, TenantClaims } from "./auth/access-tokens";
import { mapDomainError, reasonOf, refuse } from "./api-errors";
import { SOLO_PROCEDURES } from "./http/request-limits";
import type { Context } from "./context";
import { callTracer, endCallSpan } from "./observation/call-tracer";
import { outputTransformer } from "./output-transformer";
import type { AdminDoc, TenantScope, UserDoc } from "./tenancy-port";
import { tenantSchemas } from "./tenancy-port";

const USERS = tenantSchemas.User.get("collection") as string;
const SESSIONS = tenantSchemas.Session.get("collection") as string;

export type { Context } from "./context";
export { createInnerTRPCContext, createTRPCContext } from "./context";

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
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

type ObservedOptions = Parameters<Parameters<typeof t.middleware>[0]>[0];

/**
 * Observes every call (log line, metrics, span when tracing), enforces CSRF, keeps password
 * checks and token rotations out of batches, and maps domain errors.
 */
async function observeCall({ ctx, path, type, next }: ObservedOptions, span: Span | null) {
  const started = performance.now();
  const finish = (outcome: string, error?: TRPCError) => {
    const seconds = (performance.now() - started) / 1000;
    ctx.services.metrics.observeCall(ctx.surface, path, outcome, seconds);
    if (span) endCallSpan(span, ctx.state.tenantId, outcome);
    const line = {
      path,
      type,
      outcome,
      ms: Math.round(seconds * 1000),
      ...(ctx.state.tenantId ? { tenantId: ctx.state.tenantId } : {}),
    };
    if (error?.code === "INTERNAL_SERVER_ERROR")
      ctx.log.error({ ...line, err: error.cause ?? error }, "procedure failed");
    else ctx.log.info(line, "procedure");
  };
  if (type === "mutation" && ctx.csrfRequired && !ctx.csrfOk) {
    const error = refuse(
      "FORBIDDEN",
      "CSRF",
      "Cookie-authenticated mutations need the x-tenantry-csrf: 1 header from an allowed origin",
    );
    finish(error.code, error);
    throw error;
  }
  if (ctx.batchSize > 1 && SOLO_PROCEDURES.includes(path)) {
    const error = refuse(
      "BAD_REQUEST",
      "AUTH_IN_BATCH",
      `${path} cannot be sent in a batch with other calls; send it as a request of its own`,
    );
    finish(error.code, error);
    throw error;
  }
  const result = await next();
  if (result.ok) {
    finish("ok");
    return result;
  }
  const error = mapDomainError(result.error.cause) ?? result.error;
  finish(error.code, error);
  throw error;
}

// With tracing off callTracer() is null and a call costs one null check; with it on, the call's
// span is the active context, so mongoose and driver spans started inside become its children.
const observed = t.middleware((opts) => {
  const tracer = callTracer();
  if (tracer === null) return observeCall(opts, null);
  const { surface } = opts.ctx;
  return tracer.startActiveSpan(
    `trpc ${surface}:${opts.path}`,
    {
      attributes: { "trpc.surface": surface, "trpc.procedure": opts.path, "trpc.type": opts.type },
    },
    (span) => observeCall(opts, span),
  );
});

export const publicProcedure = t.procedure.use(observed);

async function verifiedTenantClaims(ctx: Context): Promise<TenantClaims> {
  const { token } = ctx.credentials;
  if (!token) throw refuse("UNAUTHORIZED", "UNAUTHENTICATED", "Sign in first");
  try {
    return await ctx.services.tokens.verifyTenant(token);
  } catch (err) {
    const reason = err instanceof TokenInvalid ? err.reason : "TOKEN_INVALID";
    throw refuse(
      "UNAUTHORIZED",
      reason,
      reason === "TOKEN_EXPIRED" ? "Session expired; refresh it" : "Invalid access token",
    );
  }
}

/** A verified tenant access token; no tenant database touched yet. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const claims = await verifiedTenantClaims(ctx);
  ctx.state.tenantId = claims.tid;
  return next({ ctx: { claims } });
});

/**
 * Suspension revokes sessions at once but other instances see the new status only at their next
 * registry poll; a session ended by suspension answers TENANT_SUSPENDED meanwhile, not a bare 401.
 */
async function endedSessionRefusal(
  ctx: Context,
  scope: TenantScope,
  familyId: string,
): Promise<TRPCError> {
  const ended = await scope.models.Session.findOne({ familyId })
    .sort({ revokedAt: -1 })
    .select({ revokedReason: 1 })
    .lean();
  if (ended?.revokedReason === "tenant_suspended") {
    const tenant = await ctx.services.tenancy.control.Tenant.findById(scope.tenant.id)
      .select({ status: 1, statusReason: 1 })
      .lean();
    if (tenant?.status === "suspended") {
      const reason = tenant.statusReason ?? "suspended";
      return refuse("FORBIDDEN", "TENANT_SUSPENDED", `This organisation is suspended: ${reason}`, {
        suspendedReason: reason,
      });
    }
  }
  return refuse("UNAUTHORIZED", "SESSION_REVOKED", "This session has ended; sign in again");
}

/** The user is active and the session family live, read from the tenant database; a pass is cached briefly. */
async function checkUserAndSession(
  ctx: Context,
  scope: TenantScope,
  claims: TenantClaims,
): Promise<UserDoc> {
  const checks = ctx.services.authChecks;
  const generation = checks.generation(scope.tenant.id);
  // The driver directly, not the User/Session models: this runs on a tenant's first call after its
  // handle was opened, and compiling two mongoose models per handle cost more than the two reads.
  const db = scope.conn.db;
  if (!db) throw new Error(`tenant ${scope.tenant.id} has no database handle`);
  const [user, session] = await Promise.all([
    db.collection<UserDoc>(USERS).findOne({ _id: new Types.ObjectId(claims.sub) }),
    db
      .collection<{ expiresAt: Date }>(SESSIONS)
      .findOne(
        { familyId: claims.sid, revokedAt: null, expiresAt: { $gt: new Date() } },
        { projection: { expiresAt: 1 } },
      ),
  ]);
  if (!user || user.status !== "active")
    throw refuse("UNAUTHORIZED", "SESSION_REVOKED", "This account is no longer active");
  if (!session) throw await endedSessionRefusal(ctx, scope, claims.sid);
  checks.set(scope.tenant, claims.sid, claims.sub, user, session.expiresAt, generation);
  return user;
}

/**
 * The token's tenant, leased for this call only. A tenant named by host or `x-tenant` header must
 * be the token's; a suspended or deleted tenant fails here (tenancy's registry is shared by all
 * instances), and so does a revoked session or a deactivated user (at once when the write went
 * through this instance, within `authCheckCacheMs` when it went through another).
 */
// One middleware rather than authedProcedure.use(...): each tRPC middleware level copies the whole
// context object, and this is the path of every tenant call.
export const tenantProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  const claims = await verifiedTenantClaims(ctx);
  ctx.state.tenantId = claims.tid;
  if (claims.imp && !claims.imp.write && type === "mutation") {
    throw refuse(
      "FORBIDDEN",
      "IMPERSONATION_READ_ONLY",
      "This impersonation is read-only; start one with write access (and a reason) to make changes",
    );
  }
  if (ctx.namedTenantSlug) {
    const named = await ctx.services.tenancy.registry
      .getBySlug(ctx.namedTenantSlug)
      .catch(() => null);
    if (!named || named.id !== claims.tid) {
      throw refuse(
        "FORBIDDEN",
        "TENANT_MISMATCH",
        "This address belongs to another organisation than the one you are signed in to.",
      );
    }
  }
  if (!Types.ObjectId.isValid(claims.sub))
    throw refuse("UNAUTHORIZED", "TOKEN_INVALID", "Invalid access token");
  return ctx.services.tenancy.withTenant(claims.tid, async (scope: TenantScope) => {
    // withTenant has already refused a suspended or deleted tenant; only the user + session check is cached.
    const user =
      ctx.services.authChecks.get(scope.tenant, claims.sid, claims.sub) ??
      (await checkUserAndSession(ctx, scope, claims));
    const active = ctx.services.activeTenantCalls;
    active.set(claims.tid, (active.get(claims.tid) ?? 0) + 1);
    try {
      return await next({
        ctx: { claims, tenant: scope, user, impersonatedBy: claims.imp ?? null },
      });
    } finally {
      const left = (active.get(claims.tid) ?? 1) - 1;
      if (left > 0) active.set(claims.tid, left);
      else active.delete(claims.tid);
    }
  });
});

/** Tenant owners and admins (role read from the tenant database, not the token). */
export const tenantAdminProcedure = tenantProcedure.use(async ({ ctx, next }) => {
  if (ctx.user.role !== "owner" && ctx.user.role !== "admin") {
    throw refuse(
      "FORBIDDEN",
      "FORBIDDEN_ROLE",
      "Only owners and admins of this organisation can do this.",
    );
  }
  return next();
});

async function verifiedAdminClaims(ctx: Context): Promise<AdminClaims> {
  const { token } = ctx.credentials;
  if (!token) throw refuse("UNAUTHORIZED", "UNAUTHENTICATED", "Sign in as a super admin first");
  try {
    return await ctx.services.tokens.verifyAdmin(token);
  } catch (err) {
    const reason = err instanceof TokenInvalid ? err.reason : "TOKEN_INVALID";
    throw refuse(
      "UNAUTHORIZED",
      reason,
      reason === "TOKEN_EXPIRED" ? "Session expired; refresh it" : "Invalid access token",
    );
  }
}

/** Super admins: a separate identity (control database `admins`), separate token audience. */
export const superAdminProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const claims = await verifiedAdminClaims(ctx);
  if (!Types.ObjectId.isValid(claims.sub))
    throw refuse("UNAUTHORIZED", "TOKEN_INVALID", "Invalid access token");
  const { Admin, AdminSession } = ctx.services.tenancy.control;
  const [admin, session] = await Promise.all([
    Admin.findById(claims.sub).lean<AdminDoc>(),
    AdminSession.exists({ familyId: claims.sid, revokedAt: null, expiresAt: { $gt: new Date() } }),
  ]);
  if (!admin || admin.status !== "active")
    throw refuse("UNAUTHORIZED", "SESSION_REVOKED", "This admin account is disabled");
  if (!session)
    throw refuse("UNAUTHORIZED", "SESSION_REVOKED", "This session has ended; sign in again");
  return next({ ctx: { admin, adminClaims: claims } });
});

/** What handlers behind each base procedure receive (handlers are typed by these). */
type AuthedContext = Context & { claims: TenantClaims };
export type TenantContext = AuthedContext & {
  tenant: TenantScope;
  user: UserDoc;
  impersonatedBy: TenantClaims["imp"] | null;
};
export type AdminContext = Context & { admin: AdminDoc; adminClaims: AdminClaims };
