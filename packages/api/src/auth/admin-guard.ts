// The super-admin guard: a separate identity (control database `admins`) and token audience; the
// account must be active and the session family live.
import { Types } from "mongoose";

import { refuse } from "../api-errors";
import type { Context } from "../context";
import type { AdminAccount } from "../tenancy-port";
import type { AdminClaims } from "./access-tokens";
import { verifiedClaims } from "./tenant-guard";

export async function verifiedSuperAdmin(
  ctx: Context,
): Promise<{ admin: AdminAccount; adminClaims: AdminClaims }> {
  const claims = await verifiedClaims(
    ctx,
    (t) => ctx.services.tokens.verifyAdmin(t),
    "Sign in as a super admin first",
  );
  if (!Types.ObjectId.isValid(claims.sub))
    throw refuse("UNAUTHORIZED", "TOKEN_INVALID", "Invalid access token");
  const { admins } = ctx.services.tenancy;
  const [admin, session] = await Promise.all([
    admins.get(claims.sub),
    admins.sessions.isLive(claims.sid),
  ]);
  if (!admin || admin.status !== "active")
    throw refuse("UNAUTHORIZED", "SESSION_REVOKED", "This admin account is disabled");
  if (!session)
    throw refuse("UNAUTHORIZED", "SESSION_REVOKED", "This session has ended; sign in again");
  return { admin, adminClaims: claims };
}
