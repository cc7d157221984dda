// Tenant sessions: one family per sign-in; each refresh rotates the token inside the family.
// Presenting an already-rotated token means it was copied: the whole family is revoked
// (refresh-rotation.ts, which also allows two tabs refreshing at once).
import { refuse } from "../api-errors";
import type { Context } from "../context";
import type { TenantScope, UserDoc } from "../tenancy-port";
import { sessionStore } from "../tenancy-port";
import { COOKIE_NAMES, serializeCookie } from "./cookies";
import { claimRotation, confirmFamilyLive } from "./refresh-rotation";
import { REFRESH_TOKEN_TTL_MS, hashToken, newFamilyId, newOpaqueToken } from "./refresh-tokens";

export interface IssuedTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
  familyId: string;
}

export async function issueTenantSession(
  ctx: Context,
  scope: TenantScope,
  user: Pick<UserDoc, "_id" | "role">,
  opts: {
    familyId?: string;
    /** `write`: the super admin asked for write access (with a reason); read-only otherwise. */
    impersonatedBy?: { adminId: string; adminEmail: string; write?: true };
    ttlSeconds?: number;
  } = {},
): Promise<IssuedTokens> {
  const familyId = opts.familyId ?? newFamilyId();
  const imp = opts.impersonatedBy;
  // Impersonation sessions get no usable refresh token: they end with their access token.
  const refreshToken = imp ? null : newOpaqueToken(scope.tenant.id);
  const ttlMs = imp ? (opts.ttlSeconds ?? 600) * 1000 : REFRESH_TOKEN_TTL_MS;
  const expiresAt = new Date(Date.now() + ttlMs);
  await scope.models.Session.create({
    userId: user._id,
    tokenHash: hashToken(refreshToken ?? newOpaqueToken(scope.tenant.id)),
    familyId,
    expiresAt,
    impersonatedBy: imp?.adminId ?? null,
    userAgent: ctx.userAgent,
    ip: ctx.ip,
  });
  const access = await ctx.services.tokens.signTenant(
    {
      sub: user._id.toString(),
      tid: scope.tenant.id,
      role: user.role,
      sid: familyId,
      ...(imp ? { imp } : {}),
    },
    opts.ttlSeconds,
  );
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken,
    refreshTokenExpiresAt: refreshToken ? expiresAt : null,
    familyId,
  };
}

/** Rotates a refresh token (see refresh-rotation.ts); returns the user the new pair belongs to. */
export async function rotateTenantRefresh(
  ctx: Context,
  scope: TenantScope,
  refreshToken: string,
  fromCookie: boolean,
): Promise<{ tokens: IssuedTokens; user: UserDoc }> {
  const { Session, User } = scope.models;
  const store = sessionStore(Session);
  const { previous, successor } = await claimRotation(ctx, store, refreshToken, scope.tenant.id, {
    fromCookie,
    revokeFamily: (familyId) => revokeFamily(ctx, scope, familyId, "refresh-token-reuse"),
  });
  const user = await User.findById(previous.userId).lean<UserDoc>();
  if (!user || user.status !== "active") {
    await revokeFamily(ctx, scope, previous.familyId, "user-inactive");
    throw refuse("UNAUTHORIZED", "SESSION_REVOKED", "This account is no longer active");
  }
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
  await Session.create({
    userId: user._id,
    tokenHash: hashToken(successor),
    familyId: previous.familyId,
    expiresAt,
    userAgent: ctx.userAgent,
    ip: ctx.ip,
  });
  try {
    await confirmFamilyLive(store, previous.familyId, successor);
  } finally {
    ctx.services.authChecks.invalidate(scope.tenant.id);
  }
  const access = await ctx.services.tokens.signTenant({
    sub: user._id.toString(),
    tid: scope.tenant.id,
    role: user.role,
    sid: previous.familyId,
  });
  return {
    user,
    tokens: {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: successor,
      refreshTokenExpiresAt: expiresAt,
      familyId: previous.familyId,
    },
  };
}

/** Ends a session family; this instance's auth-check cache forgets the tenant's entries at once. */
export async function revokeFamily(
  ctx: Context,
  scope: TenantScope,
  familyId: string,
  reason: string,
): Promise<void> {
  try {
    await scope.models.Session.updateMany(
      { familyId, revokedAt: null },
      { $set: { revokedAt: new Date(), revokedReason: reason } },
    );
  } finally {
    ctx.services.authChecks.invalidate(scope.tenant.id);
  }
}

/** Cookies for browsers, body fields for programs, per the handler's token transport. */
export function deliverTokens(ctx: Context, tokens: IssuedTokens, surface = ctx.surface) {
  if (ctx.transport !== "body") {
    const names = COOKIE_NAMES[surface];
    const cfg = ctx.services.config.cookies;
    ctx.resHeaders.append(
      "set-cookie",
      serializeCookie(names.access, tokens.accessToken, {
        ...cfg,
        maxAgeSeconds: (tokens.accessTokenExpiresAt.getTime() - Date.now()) / 1000,
      }),
    );
    if (tokens.refreshToken && tokens.refreshTokenExpiresAt) {
      ctx.resHeaders.append(
        "set-cookie",
        serializeCookie(names.refresh, tokens.refreshToken, {
          ...cfg,
          maxAgeSeconds: (tokens.refreshTokenExpiresAt.getTime() - Date.now()) / 1000,
        }),
      );
    }
  }
  const inBody = ctx.transport !== "cookie";
  return {
    accessToken: inBody ? tokens.accessToken : null,
    refreshToken: inBody ? tokens.refreshToken : null,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
  };
}

export function clearTokens(ctx: Context, surface = ctx.surface): void {
  if (ctx.transport === "body") return;
  const names = COOKIE_NAMES[surface];
  const cfg = ctx.services.config.cookies;
  ctx.resHeaders.append(
    "set-cookie",
    serializeCookie(names.access, "", { ...cfg, maxAgeSeconds: 0 }),
  );
  ctx.resHeaders.append(
    "set-cookie",
    serializeCookie(names.refresh, "", { ...cfg, maxAgeSeconds: 0 }),
  );
}

/** The refresh token from the input (programs) or the cookie (browsers). */
export function presentedRefreshToken(
  ctx: Context,
  fromInput: string | undefined,
  surface = ctx.surface,
): string | null {
  if (fromInput) return fromInput;
  const cookieHeader = ctx.headers.get("cookie");
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === COOKIE_NAMES[surface].refresh) return decodeURIComponent(v.join("="));
  }
  return null;
}
