// The tenant guard: access token -> tenant (named tenant must match) -> lease -> user and session
// still live (read from the tenant database, a pass cached briefly). Fails closed at each step.
import type { ServiceAccount } from "@tenantry/tenancy";
import { looksLikeApiKey } from "@tenantry/tenancy";
import type { TRPCError } from "@trpc/server";
import { Types } from "mongoose";

import { refuse } from "../api-errors";
import type { Context } from "../context";
import type { TenantScope, UserDoc } from "../tenancy-port";
import { tenantSchemas } from "../tenancy-port";
import type { TenantClaims } from "./access-tokens";
import { TokenInvalid } from "./access-tokens";
import { withKeyPrincipal } from "./api-key-guard";
import { assertTenantSecondFactor } from "./two-factor-gate";

const USERS = tenantSchemas.User.get("collection") as string;
const SESSIONS = tenantSchemas.Session.get("collection") as string;

/** The verified claims of the call's access token (tenant or admin audience), or a 401 with a reason. */
export async function verifiedClaims<C>(
  ctx: Context,
  verify: (token: string) => Promise<C>,
  signIn: string,
): Promise<C> {
  const { token } = ctx.credentials;
  if (!token) throw refuse("UNAUTHORIZED", "UNAUTHENTICATED", signIn);
  try {
    return await verify(token);
  } catch (err) {
    const reason = err instanceof TokenInvalid ? err.reason : "TOKEN_INVALID";
    throw refuse(
      "UNAUTHORIZED",
      reason,
      reason === "TOKEN_EXPIRED" ? "Session expired; refresh it" : "Invalid access token",
    );
  }
}

export const verifiedTenantClaims = (ctx: Context) =>
  verifiedClaims(ctx, (t) => ctx.services.tokens.verifyTenant(t), "Sign in first");

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
    const tenant = await ctx.services.tenancy.tenants.get(scope.tenant.id).catch(() => null);
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

export interface TenantPrincipal {
  claims: TenantClaims;
  tenant: TenantScope;
  user: UserDoc;
  impersonatedBy: TenantClaims["imp"] | null;
  /** Set when an API key makes the call (then `user` is its service account, an admin). */
  serviceAccount: ServiceAccount | null;
}

/**
 * Counts the call among the tenant's running ones (admin "leased now") while it runs, and once in
 * its usage metering (in memory; tenancy writes the counts in bulk). Every tenant call, by token
 * or by API key, passes here once it is authenticated.
 */
async function counted<R>(ctx: Context, tenantId: string, run: () => Promise<R>): Promise<R> {
  ctx.services.tenancy.usage.recordCall(tenantId);
  const active = ctx.services.activeTenantCalls;
  active.set(tenantId, (active.get(tenantId) ?? 0) + 1);
  try {
    return await run();
  } finally {
    const left = (active.get(tenantId) ?? 1) - 1;
    if (left > 0) active.set(tenantId, left);
    else active.delete(tenantId);
  }
}

/**
 * Runs `next` with the call's tenant leased for this call only. A tenant named by host or
 * `x-tenant` header must be the token's; a suspended or deleted tenant fails here (tenancy's
 * registry is shared by all instances), and so does a revoked session or a deactivated user (at
 * once when the write went through this instance, within `authCheckCacheMs` when it went through
 * another).
 */
export async function withTenantPrincipal<R>(
  ctx: Context,
  call: { type: string; path: string },
  next: (principal: TenantPrincipal) => Promise<R>,
  /** The call writes tenant data (refused while the tenant is read-only over its storage). */
  write: boolean,
  /** "enrolment": open to a member their organisation still requires to enrol a second factor. */
  secondFactor: "enforce" | "enrolment" = "enforce",
): Promise<R> {
  const { type } = call;
  const token = ctx.credentials.token;
  if (token && looksLikeApiKey(token))
    return withKeyPrincipal(
      ctx,
      token,
      call,
      (principal) => counted(ctx, principal.claims.tid, () => next(principal)),
      write,
    );
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
  const lease = (fn: (scope: TenantScope) => Promise<R>) =>
    ctx.services.tenancy.withTenant(claims.tid, fn, { write });
  return lease(async (scope: TenantScope) => {
    // withTenant has already refused a suspended or deleted tenant; only the user + session check is cached.
    const user =
      ctx.services.authChecks.get(scope.tenant, claims.sid, claims.sub) ??
      (await checkUserAndSession(ctx, scope, claims));
    // A super admin impersonating is not the member; their own second factor guards the admin API.
    if (secondFactor === "enforce" && !claims.imp) await assertTenantSecondFactor(ctx, scope, user);
    return counted(ctx, claims.tid, () =>
      next({
        claims,
        tenant: scope,
        user,
        impersonatedBy: claims.imp ?? null,
        serviceAccount: null,
      }),
    );
  });
}

/** Tenant owners and admins (role read from the tenant database, not the token). */
export function requireTenantAdmin(user: UserDoc): void {
  if (user.role !== "owner" && user.role !== "admin") {
    throw refuse(
      "FORBIDDEN",
      "FORBIDDEN_ROLE",
      "Only owners and admins of this organisation can do this.",
    );
  }
}
