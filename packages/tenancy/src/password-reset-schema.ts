// The schema of a password-reset link; compiled per connection like every other model.
import type { Types } from "mongoose";
import { Schema } from "mongoose";

/**
 * Password-reset links (password-resets.ts), in the tenant database for tenant users and in the
 * control database (as `adminPasswordResets`) for super admins: only the token's sha-256 is stored. A used or expired
 * link stays until `purgeAt` (a day after it expires) so a second use can be told apart from a
 * forgery; then the server drops it.
 */
export interface PasswordResetDoc {
  _id: Types.ObjectId;
  tokenHash: string;
  /** The tenant user, or the super admin for control-database resets. */
  userId: Types.ObjectId;
  expiresAt: Date;
  usedAt: Date | null;
  purgeAt: Date;
  /** Who sent the link when it was not the user ("admin@acme.test", "super admin root@…"). */
  requestedBy: string | null;
  createdAt: Date;
}

export const passwordResetSchema = new Schema<PasswordResetDoc>(
  {
    tokenHash: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    purgeAt: { type: Date, required: true },
    requestedBy: { type: String, default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: "passwordResets", autoIndex: false, autoCreate: false, bufferCommands: false },
);
passwordResetSchema.index({ tokenHash: 1 }, { unique: true });
passwordResetSchema.index({ userId: 1 });
passwordResetSchema.index({ purgeAt: 1 }, { expireAfterSeconds: 0 });
