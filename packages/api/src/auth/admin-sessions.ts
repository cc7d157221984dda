// Super-admin sessions, in the control database (adminSessions): same rotation and reuse
// detection as tenant sessions (refresh-rotation.ts). The refresh token's routing id is the admin's id.
import { refuse } from "../api-errors";
import type { Context } from "../context";
import type { AdminAccount } from "../tenancy-port";
import type { IssuedTokens } from "./tenant-sessions";
import { claimRotation, confirmFamilyLive } from "./refresh-rotation";
import { REFRESH_TOKEN_TTL_MS, hashToken, newFamilyId, newOpaqueToken } from "./refresh-tokens";

export async function issueAdminSession(
  ctx: Context,
  admin: Pick<AdminAccount, "id">,
  familyId = newFamilyId(),
  refreshToken = newOpaqueToken(admin.id),
): Promise<IssuedTokens> {
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
  await ctx.services.tenancy.admins.sessions.start({
    adminId: admin.id,
    tokenHash: hashToken(refreshToken),
    familyId,
    expiresAt,
    userAgent: ctx.userAgent,
    ip: ctx.ip,
  });
  const access = await ctx.services.tokens.signAdmin({ sub: admin.id, sid: familyId });
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken,
    refreshTokenExpiresAt: expiresAt,
    familyId,
  };
}

export async function rotateAdminRefresh(
  ctx: Context,
  refreshToken: string,
  fromCookie: boolean,
): Promise<{ tokens: IssuedTokens; admin: AdminAccount }> {
  const { admins } = ctx.services.tenancy;
  const adminId = refreshToken.split(".")[0] ?? "";
  const { previous, successor } = await claimRotation(ctx, admins.sessions, refreshToken, adminId, {
    fromCookie,
    revokeFamily: (familyId) => revokeAdminFamily(ctx, familyId),
  });
  const admin = await admins.get(previous.adminId.toHexString());
  if (!admin || admin.status !== "active") {
    await revokeAdminFamily(ctx, previous.familyId);
    throw refuse("UNAUTHORIZED", "SESSION_REVOKED", "This admin account is disabled");
  }
  const tokens = await issueAdminSession(ctx, admin, previous.familyId, successor);
  await confirmFamilyLive(admins.sessions, previous.familyId, successor);
  return { admin, tokens };
}

export async function revokeAdminFamily(ctx: Context, familyId: string): Promise<void> {
  await ctx.services.tenancy.admins.sessions.revokeFamily(familyId);
}
