// Tenancy's own tenant-database schemas (an app adds its own through tenant modules). Schemas are
// shared; each tenant handle gets its own models over them (model-sharing.ts), because a mongoose
// model belongs to exactly one connection. Nothing here builds indexes lazily: the
// migrations create collections and indexes at provision / migrate time.
import type { Connection, Model, Types } from "mongoose";
import { Schema } from "mongoose";

import type { ApiKeyDoc } from "./api-key-models";
import { apiKeySchema } from "./api-key-models";
import { modelOn } from "./model-sharing";
import type { MemberRole } from "./control-models";
import { MEMBER_ROLES } from "./control-models";
import type { PasswordResetDoc } from "./password-reset-schema";
import { passwordResetSchema } from "./password-reset-schema";
import type { TwoFactorFields } from "./two-factor-fields";

const noLazyWork = { autoIndex: false, autoCreate: false, bufferCommands: false } as const;

export const USER_STATUSES = ["active", "invited", "deactivated"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** A user's second factor (two-factor.ts) lives on their record, in the tenant's database only. */
export interface UserDoc extends TwoFactorFields {
  _id: Types.ObjectId;
  email: string;
  name: string;
  /** argon2id; null while an invited user has not chosen a password. */
  passwordHash: string | null;
  role: MemberRole;
  status: UserStatus;
  lastLoginAt: Date | null;
  passwordChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, required: true },
    passwordHash: { type: String, default: null },
    role: { type: String, enum: MEMBER_ROLES, required: true },
    status: { type: String, enum: USER_STATUSES, default: "active" },
    lastLoginAt: { type: Date, default: null },
    passwordChangedAt: { type: Date, default: null },
    twoFactor: { type: Schema.Types.Mixed, default: null },
    twoFactorPending: { type: Schema.Types.Mixed, default: null },
    twoFactorChallenge: { type: Schema.Types.Mixed, default: null },
  },
  { collection: "users", timestamps: true, ...noLazyWork },
);
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ role: 1, status: 1 });

export interface SessionDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
  /** sha-256 of the refresh token. */
  tokenHash: string;
  familyId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  replacedBy: string | null;
  impersonatedBy: string | null;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const sessionSchema = new Schema<SessionDoc>(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    tokenHash: { type: String, required: true },
    familyId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null },
    replacedBy: { type: String, default: null },
    impersonatedBy: { type: String, default: null },
    userAgent: { type: String, default: null },
    ip: { type: String, default: null },
  },
  { collection: "sessions", timestamps: true, ...noLazyWork },
);
sessionSchema.index({ tokenHash: 1 }, { unique: true });
sessionSchema.index({ userId: 1 });
sessionSchema.index({ familyId: 1 });
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export interface SettingDoc {
  /** One document per key; the tenant-wide settings live under "tenant". */
  _id: string;
  displayName: string | null;
  preferences: Record<string, unknown>;
  /** Switching in from another organisation asks for this organisation's own password (org-switch.ts). */
  requireOwnSignIn?: boolean;
  /** Members must sign in with a second factor; one without it may only enrol (two-factor.ts). */
  requireTwoFactor?: boolean;
  updatedAt: Date;
  createdAt: Date;
}

const settingSchema = new Schema<SettingDoc>(
  {
    _id: { type: String, required: true },
    displayName: { type: String, default: null },
    preferences: { type: Schema.Types.Mixed, default: {} },
    requireOwnSignIn: { type: Boolean, default: false },
    requireTwoFactor: { type: Boolean, default: false },
  },
  { collection: "settings", timestamps: true, minimize: false, ...noLazyWork },
);

export interface TenantAuditDoc {
  _id: Types.ObjectId;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  /** "apiKey": a service account (actorId is the key id, actorName its name). Older entries: none. */
  actorType?: "user" | "apiKey";
  actorName?: string | null;
  /** Set when a super admin acted through impersonation. */
  impersonatedBy: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

const tenantAuditSchema = new Schema<TenantAuditDoc>(
  {
    at: { type: Date, required: true, default: () => new Date() },
    actorId: { type: String, default: null },
    actorEmail: { type: String, default: null },
    actorType: { type: String, enum: ["user", "apiKey"], default: "user" },
    actorName: { type: String, default: null },
    impersonatedBy: { type: String, default: null },
    action: { type: String, required: true },
    target: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: "audit", minimize: false, ...noLazyWork },
);
tenantAuditSchema.index({ at: -1, _id: -1 });
tenantAuditSchema.index({ action: 1, at: -1 });

/**
 * One-time invite links (invites.ts); the token itself is never stored, only its sha-256. A used,
 * revoked or expired invite stays until `purgeAt` (a day after it expires) so the accept page can
 * say which it was; then the server drops it.
 */
export interface InviteDoc {
  _id: Types.ObjectId;
  tokenHash: string;
  userId: Types.ObjectId;
  expiresAt: Date;
  usedAt: Date | null;
  /** Revoked by an admin, or replaced by a newer invite (resend). */
  revokedAt: Date | null;
  purgeAt: Date;
  /** Who invited: their name (or the API key's) and email (null for a key), for the mail and the accept page. */
  invitedByName: string | null;
  invitedByEmail: string | null;
  createdAt: Date;
}

const inviteSchema = new Schema<InviteDoc>(
  {
    tokenHash: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    purgeAt: { type: Date, required: true },
    invitedByName: { type: String, default: null },
    invitedByEmail: { type: String, default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: "invites", ...noLazyWork },
);
inviteSchema.index({ tokenHash: 1 }, { unique: true });
inviteSchema.index({ userId: 1 });
// The server drops an invite a day after it expires, used or not (tenant migration 5).
inviteSchema.index({ purgeAt: 1 }, { expireAfterSeconds: 0 });

/** `_meta`: the migration ledger ("schema") and its lock. */
export interface MetaDoc {
  _id: string;
  version: number;
  applied: { version: number; name: string; at: Date }[];
  lock: { owner: string; until: Date } | null;
}

const metaSchema = new Schema<MetaDoc>(
  {
    _id: { type: String, required: true },
    version: { type: Number, default: 0 },
    applied: { type: [{ version: Number, name: String, at: Date, _id: false }], default: [] },
    lock: {
      type: new Schema({ owner: String, until: Date }, { _id: false }),
      default: null,
    },
  },
  { collection: "_meta", ...noLazyWork },
);

export interface TenantModels {
  User: Model<UserDoc>;
  Session: Model<SessionDoc>;
  Setting: Model<SettingDoc>;
  Audit: Model<TenantAuditDoc>;
  Invite: Model<InviteDoc>;
  PasswordReset: Model<PasswordResetDoc>;
  Meta: Model<MetaDoc>;
  ApiKey: Model<ApiKeyDoc>;
}

export const tenantSchemas = {
  User: userSchema,
  Session: sessionSchema,
  Setting: settingSchema,
  Audit: tenantAuditSchema,
  Invite: inviteSchema,
  PasswordReset: passwordResetSchema,
  Meta: metaSchema,
  ApiKey: apiKeySchema("apiKeys"),
};

/**
 * Models for one tenant handle, compiled on first access: a request that only touches one collection
 * does not pay for compiling the others on every LRU miss.
 */
export function registerTenantModels(conn: Connection): TenantModels {
  const compiled: Partial<TenantModels> = {};
  return {
    get User() {
      return (compiled.User ??= modelOn<UserDoc>(conn, "User", userSchema));
    },
    get Session() {
      return (compiled.Session ??= modelOn<SessionDoc>(conn, "Session", sessionSchema));
    },
    get Setting() {
      return (compiled.Setting ??= modelOn<SettingDoc>(conn, "Setting", settingSchema));
    },
    get Audit() {
      return (compiled.Audit ??= modelOn<TenantAuditDoc>(conn, "Audit", tenantAuditSchema));
    },
    get Invite() {
      return (compiled.Invite ??= modelOn<InviteDoc>(conn, "Invite", inviteSchema));
    },
    get PasswordReset() {
      return (compiled.PasswordReset ??= modelOn<PasswordResetDoc>(
        conn,
        "PasswordReset",
        passwordResetSchema,
      ));
    },
    get Meta() {
      return (compiled.Meta ??= modelOn<MetaDoc>(conn, "Meta", metaSchema));
    },
    get ApiKey() {
      return (compiled.ApiKey ??= modelOn<ApiKeyDoc>(conn, "ApiKey", tenantSchemas.ApiKey));
    },
  };
}
