// One-time invite links. Stored in the tenant database (collection "invites") as a sha-256 hash;
// the token's prefix names the tenant so acceptInvite knows which database to open.
import type { Types } from "mongoose";

import { hashToken, newOpaqueToken } from "../../auth/refresh-tokens";
import type { TenantScope } from "../../tenancy-port";

const INVITE_TTL_MS = 7 * 24 * 3600_000;

interface InviteDoc {
  tokenHash: string;
  userId: Types.ObjectId;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

const invites = (scope: TenantScope) => scope.conn.collection<InviteDoc>("invites");

export async function createInvite(
  scope: TenantScope,
  userId: Types.ObjectId,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newOpaqueToken(scope.tenant.id);
  const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
  // A new invite replaces any earlier one for the same user.
  await invites(scope).deleteMany({ userId, usedAt: null });
  await invites(scope).insertOne({
    tokenHash: hashToken(token),
    userId,
    expiresAt,
    usedAt: null,
    createdAt: new Date(),
  });
  return { token, expiresAt };
}

/** Marks the invite used if it is valid and `check` agrees; null when it is not usable. */
export async function consumeInvite(
  scope: TenantScope,
  token: string,
  check: (invite: InviteDoc) => Promise<boolean>,
): Promise<InviteDoc | null> {
  const tokenHash = hashToken(token);
  const invite = await invites(scope).findOne({
    tokenHash,
    usedAt: null,
    expiresAt: { $gt: new Date() },
  });
  if (!invite || !(await check(invite))) return null;
  const claimed = await invites(scope).findOneAndUpdate(
    { tokenHash, usedAt: null },
    { $set: { usedAt: new Date() } },
    { returnDocument: "after" },
  );
  return claimed ?? null;
}
