// Session rows (tenant users' in their tenant database, super admins' in the control database)
// behind the few operations that refresh rotation and the guards need, so no surface holds a raw
// control model. One row per refresh token, stored as its hash; a sign-in is one family.
import type { Model, Types } from "mongoose";

/** What tenant sessions and admin sessions have in common. */
export interface SessionRow {
  _id: Types.ObjectId;
  tokenHash: string;
  familyId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  replacedBy: string | null;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
}

export interface SessionStore<S extends SessionRow = SessionRow> {
  /** Compare-and-swap: the live, unrotated row of `tokenHash` now names `successorHash`; null if none. */
  claim(tokenHash: string, successorHash: string, now: Date): Promise<S | null>;
  byHash(tokenHash: string): Promise<S | null>;
  /** Whether any row of the family has been revoked (a replay was detected). */
  familyRevoked(familyId: string): Promise<boolean>;
  revokeToken(tokenHash: string, reason: string): Promise<void>;
  /** Ends every live row of the family; returns how many were live. */
  revokeFamily(familyId: string): Promise<number>;
  /** Whether the family has a live, unexpired row (the session is still signed in). */
  isLive(familyId: string): Promise<boolean>;
}

export function sessionStore<S extends SessionRow>(model: Model<S>): SessionStore<S> {
  // mongoose's filter types do not follow a generic document type; the fields are SessionRow's.
  const rows = model as unknown as Model<SessionRow>;
  return {
    claim: (tokenHash, successorHash, now) =>
      rows
        .findOneAndUpdate(
          { tokenHash, revokedAt: null, replacedBy: null, expiresAt: { $gt: now } },
          { $set: { replacedBy: successorHash } },
          { returnDocument: "after" },
        )
        .lean<S>(),
    byHash: (tokenHash) => rows.findOne({ tokenHash }).lean<S>(),
    familyRevoked: async (familyId) =>
      Boolean(await rows.exists({ familyId, revokedAt: { $ne: null } })),
    async revokeToken(tokenHash, reason) {
      await rows.updateOne(
        { tokenHash },
        { $set: { revokedAt: new Date(), revokedReason: reason } },
      );
    },
    async revokeFamily(familyId) {
      const res = await rows.updateMany(
        { familyId, revokedAt: null },
        { $set: { revokedAt: new Date() } },
      );
      return res.modifiedCount;
    },
    isLive: async (familyId) =>
      Boolean(await rows.exists({ familyId, revokedAt: null, expiresAt: { $gt: new Date() } })),
  };
}
