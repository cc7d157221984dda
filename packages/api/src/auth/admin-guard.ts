// The super-admin guard: a separate identity (control database `admins`) and token audience; the
// account must be active and the session family live.
import type { ServiceAccount } from "@tenantry/tenancy";
import { looksLikeApiKey } from "@tenantry/tenancy";
import { Types } from "mongoose";

import { refuse } from "../api-errors";
import type { Context } from "../context";
import type { AdminAccount } from "../tenancy-port";
import type { AdminClaims } from "./access-tokens";
import { verifiedPlatformKey } from "./api-key-guard";
import { verifiedClaims } from "./tenant-guard";
import { assertAdminSecondFactor } from "./two-factor-gate";

export async function verifiedSuperAdmin(
  ctx: Context,
  call: { type: string; path: string },
  /** "enrolment": open to an admin who has not set up their second factor yet. */
  secondFactor: "enforce" | "enrolment" = "enforce",
): Promise<{ admin: AdminAccount; adminClaims: AdminClaims; platformKey: ServiceAccount | null }> {
  const token = ctx.credentials.token;
  if (token && looksLikeApiKey(token)) return platformKeyAdmin(ctx, token, call);
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
  if (secondFactor === "enforce") assertAdminSecondFactor(ctx, admin);
  return { admin, adminClaims: claims, platformKey: null };
}

/** A platform key acts as an admin named after the key (audited with actor type "apiKey"). */
async function platformKeyAdmin(ctx: Context, token: string, call: { type: string; path: string }) {
  const account = await verifiedPlatformKey(ctx, token, call);
  const admin: AdminAccount = {
    id: account.keyId,
    email: "",
    name: account.name,
    status: "active",
    lastLoginAt: null,
    createdAt: new Date(),
    // A platform key is a secret of its own, not a person signing in.
    twoFactorEnabled: true,
  };
  const adminClaims: AdminClaims = {
    kind: "admin",
    sub: account.keyId,
    sid: `key:${account.keyId}`,
    exp: 0,
  };
  return { admin, adminClaims, platformKey: account };
}
