// Super-admin sessions, in the control database (adminSessions): same rotation and reuse
// detection as tenant sessions. The refresh token's routing id is the admin's id.
import { refuse } from "../api-errors";
import type { Context } from "../context";
import type { AdminDoc } from "../tenancy-port";
import type { IssuedTokens } from "./tenant-sessions";
import { REFRESH_TOKEN_TTL_MS, hashToken, newFamilyId, newOpaqueToken } from "./refresh-tokens";

export async function issueAdminSession(
  ctx: Context,
  admin: Pick<AdminDoc, "_id">,
  familyId = newFamilyId(),
): Promise<IssuedTokens> {
  const refreshToken = newOpaqueToken(admin._id.toString());
  const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
  await ctx.services.tenancy.control.AdminSession.create({
    adminId: admin._id,
    tokenHash: hashToken(refreshToken),
    familyId,
    expiresAt,
    userAgent: ctx.userAgent,
    ip: ctx.ip,
  });
  const access = await ctx.services.tokens.signAdmin({ sub: admin._id.toString(), sid: familyId });
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
): Promise<{ tokens: IssuedTokens; admin: AdminDoc }> {
  const { AdminSession, Admin } = ctx.services.tenancy.control;
  const tokenHash = hashToken(refreshToken);
  const now = new Date();
  const claimed = await AdminSession.findOneAndUpdate(
    { tokenHash, revokedAt: null, replacedBy: null, expiresAt: { $gt: now } },
    { $set: { replacedBy: "rotated" } },
    { returnDocument: "after" },
  ).lean();
  if (!claimed) {
    const seen = await AdminSession.findOne({ tokenHash }).lean();
    if (seen && (seen.replacedBy || seen.revokedAt)) {
      await revokeAdminFamily(ctx, seen.familyId);
      throw refuse(
        "UNAUTHORIZED",
        "REFRESH_REUSED",
        "This refresh token was already used; the session has been ended",
      );
    }
    throw refuse("UNAUTHORIZED", "REFRESH_INVALID", "Invalid or expired refresh token");
  }
  const admin = await Admin.findById(claimed.adminId).lean<AdminDoc>();
  if (!admin || admin.status !== "active") {
    await revokeAdminFamily(ctx, claimed.familyId);
    throw refuse("UNAUTHORIZED", "SESSION_REVOKED", "This admin account is disabled");
  }
  return { admin, tokens: await issueAdminSession(ctx, admin, claimed.familyId) };
}

export async function revokeAdminFamily(ctx: Context, familyId: string): Promise<void> {
  await ctx.services.tenancy.control.AdminSession.updateMany(
    { familyId, revokedAt: null },
    { $set: { revokedAt: new Date() } },
  );
}
