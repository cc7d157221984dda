// The stored form of an API key, the same for tenant keys (tenant database `apiKeys`) and platform
// keys (control database `platformKeys`). The secret is never stored, only its SHA-256.
import type { Types } from "mongoose";
import { Schema } from "mongoose";

export interface ApiKeyDoc {
  _id: Types.ObjectId;
  name: string;
  scopes: string[];
  secretHash: string;
  /** Who created it: a member's or admin's id and email, or a key's id and name. */
  createdBy: { id: string; label: string };
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function apiKeySchema(collection: string): Schema<ApiKeyDoc> {
  const schema = new Schema<ApiKeyDoc>(
    {
      name: { type: String, required: true },
      scopes: { type: [String], required: true },
      secretHash: { type: String, required: true },
      createdBy: {
        type: new Schema({ id: String, label: String }, { _id: false }),
        required: true,
      },
      expiresAt: { type: Date, default: null },
      revokedAt: { type: Date, default: null },
      lastUsedAt: { type: Date, default: null },
      lastUsedIp: { type: String, default: null },
    },
    { collection, timestamps: true, autoIndex: false, autoCreate: false, bufferCommands: false },
  );
  schema.index({ createdAt: -1 });
  return schema;
}

/** A key acting: who it is and what it may do. */
export interface ServiceAccount {
  keyId: string;
  name: string;
  scopes: string[];
}

/** What list and create return: everything but the hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  scopes: string[];
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
}

export const apiKeyView = (d: ApiKeyDoc): ApiKeyView => ({
  id: d._id.toHexString(),
  name: d.name,
  scopes: d.scopes,
  createdBy: d.createdBy.label,
  createdAt: d.createdAt,
  expiresAt: d.expiresAt,
  revokedAt: d.revokedAt,
  lastUsedAt: d.lastUsedAt,
  lastUsedIp: d.lastUsedIp,
});
