// Control-database schemas. Indexes are built by ensureControlIndexes at start-up, never lazily.
import type { Connection, Model, Types } from "mongoose";
import { Schema } from "mongoose";

import { ensureCollection } from "./collection-setup";

import type { ApiKeyDoc } from "./api-key-models";
import { apiKeySchema } from "./api-key-models";
import type { PasswordResetDoc } from "./password-reset-schema";
import { passwordResetSchema } from "./password-reset-schema";
import type { TwoFactorFields } from "./two-factor-fields";

export const TENANT_STATUSES = [
  "provisioning",
  "active",
  "suspended",
  "deleted",
  "purged",
] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];
export const MEMBER_ROLES = ["owner", "admin", "member"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

const noLazyWork = { autoIndex: false, autoCreate: false, bufferCommands: false } as const;

export interface TenantDoc {
  _id: Types.ObjectId;
  slug: string;
  name: string;
  status: TenantStatus;
  statusReason: string | null;
  dbName: string;
  cluster: string;
  /** A catalogue plan name (policies/plans.ts); older records are mapped at start-up. */
  plan: string;
  modules: string[];
  /** Per-tenant overrides of the plan's limits, by limit name. */
  limits: Record<string, number>;
  schemaVersion: number;
  /** Saga bookkeeping while status is "provisioning"; cleared when active. */
  provisioning: {
    step: string | null;
    kind: "provision" | "import";
    ownerEmail: string | null;
    claimedBy: string | null;
    claimedUntil: Date | null;
  } | null;
  suspendedAt: Date | null;
  /** While deleted: the status (and reason) a restore returns to. */
  restoreTo: { status: "active" | "suspended"; reason: string | null } | null;
  deletedAt: Date | null;
  purgeAfter: Date | null;
  purgedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const tenantSchema = new Schema<TenantDoc>(
  {
    slug: { type: String, required: true },
    name: { type: String, required: true },
    status: { type: String, enum: TENANT_STATUSES, required: true },
    statusReason: { type: String, default: null },
    dbName: { type: String, required: true },
    cluster: { type: String, required: true },
    plan: { type: String, default: "free" },
    modules: { type: [String], default: [] },
    limits: { type: Schema.Types.Mixed, default: {} },
    schemaVersion: { type: Number, default: 0 },
    provisioning: {
      type: new Schema(
        {
          step: { type: String, default: null },
          kind: { type: String, enum: ["provision", "import"], default: "provision" },
          ownerEmail: { type: String, default: null },
          claimedBy: { type: String, default: null },
          claimedUntil: { type: Date, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
    suspendedAt: { type: Date, default: null },
    restoreTo: {
      type: new Schema({ status: String, reason: { type: String, default: null } }, { _id: false }),
      default: null,
    },
    deletedAt: { type: Date, default: null },
    purgeAfter: { type: Date, default: null },
    purgedAt: { type: Date, default: null },
  },
  { collection: "tenants", timestamps: true, minimize: false, ...noLazyWork },
);
tenantSchema.index({ slug: 1 }, { unique: true });
tenantSchema.index({ dbName: 1 }, { unique: true });
tenantSchema.index({ status: 1, schemaVersion: 1 });
tenantSchema.index({ cluster: 1, status: 1 });

export interface DirectoryDoc {
  _id: Types.ObjectId;
  email: string;
  tenantId: Types.ObjectId;
  tenantSlug: string;
  tenantName: string;
  role: MemberRole;
  userId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const directorySchema = new Schema<DirectoryDoc>(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    tenantId: { type: Schema.Types.ObjectId, required: true },
    tenantSlug: { type: String, required: true },
    tenantName: { type: String, required: true },
    role: { type: String, enum: MEMBER_ROLES, required: true },
    userId: { type: String, default: null },
  },
  { collection: "directory", timestamps: true, ...noLazyWork },
);
directorySchema.index({ email: 1, tenantId: 1 }, { unique: true });
directorySchema.index({ tenantId: 1 });

/** A super admin's second factor (two-factor.ts) lives on their record in `admins`. */
export interface AdminDoc extends TwoFactorFields {
  _id: Types.ObjectId;
  email: string;
  name: string;
  passwordHash: string;
  status: "active" | "disabled";
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const adminSchema = new Schema<AdminDoc>(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, required: true },
    passwordHash: { type: String, required: true },
    status: { type: String, enum: ["active", "disabled"], default: "active" },
    lastLoginAt: { type: Date, default: null },
    twoFactor: { type: Schema.Types.Mixed, default: null },
    twoFactorPending: { type: Schema.Types.Mixed, default: null },
    twoFactorChallenge: { type: Schema.Types.Mixed, default: null },
  },
  { collection: "admins", timestamps: true, ...noLazyWork },
);
adminSchema.index({ email: 1 }, { unique: true });

export interface AdminSessionDoc {
  _id: Types.ObjectId;
  adminId: Types.ObjectId;
  /** sha-256 of the refresh token; the token itself is never stored. */
  tokenHash: string;
  familyId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  replacedBy: string | null;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const adminSessionSchema = new Schema<AdminSessionDoc>(
  {
    adminId: { type: Schema.Types.ObjectId, required: true },
    tokenHash: { type: String, required: true },
    familyId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    replacedBy: { type: String, default: null },
    userAgent: { type: String, default: null },
    ip: { type: String, default: null },
  },
  { collection: "adminSessions", timestamps: true, ...noLazyWork },
);
adminSessionSchema.index({ tokenHash: 1 }, { unique: true });
adminSessionSchema.index({ adminId: 1 });
adminSessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export interface ClusterDoc {
  _id: Types.ObjectId;
  name: string;
  /** AES-256-GCM ciphertext of the URI (see cluster-crypto.ts); never returned by any API. */
  uriEncrypted: string;
  /** Set on a dedicated pool: same servers as sourceCluster, its own client, one tenant. */
  dedicatedTo: Types.ObjectId | null;
  sourceCluster: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const clusterSchema = new Schema<ClusterDoc>(
  {
    name: { type: String, required: true },
    uriEncrypted: { type: String, required: true, select: false },
    dedicatedTo: { type: Schema.Types.ObjectId, default: null },
    sourceCluster: { type: String, default: null },
  },
  { collection: "clusters", timestamps: true, ...noLazyWork },
);
clusterSchema.index({ name: 1 }, { unique: true });

export interface AuditActor {
  /** "cli": the operator CLI (id = OS user name, email null). */
  /** "apiKey": a platform key (id = key id, email null). */
  type: "admin" | "system" | "user" | "cli" | "apiKey";
  id?: string | null;
  email?: string | null;
  /** The request's client address, when the actor came over HTTP; stored on the entry, not the actor. */
  ip?: string | null;
}

export interface AuditDoc {
  _id: Types.ObjectId;
  at: Date;
  actor: AuditActor;
  action: string;
  tenantId: Types.ObjectId | null;
  tenantSlug: string | null;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

const auditSchema = new Schema<AuditDoc>(
  {
    at: { type: Date, required: true, default: () => new Date() },
    actor: {
      type: new Schema(
        {
          type: {
            type: String,
            enum: ["admin", "system", "user", "cli", "apiKey"],
            required: true,
          },
          id: { type: String, default: null },
          email: { type: String, default: null },
        },
        { _id: false },
      ),
      required: true,
    },
    action: { type: String, required: true },
    tenantId: { type: Schema.Types.ObjectId, default: null },
    tenantSlug: { type: String, default: null },
    target: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
    ip: { type: String, default: null },
  },
  { collection: "audit", minimize: false, ...noLazyWork },
);
auditSchema.index({ at: -1, _id: -1 });
auditSchema.index({ tenantId: 1, at: -1 });
auditSchema.index({ action: 1, at: -1 });

export interface LoginAttemptDoc {
  _id: Types.ObjectId;
  /** What is being rate-limited, e.g. "email:a@b.c" or "ip:1.2.3.4". */
  key: string;
  /**
   * `pending` until the password is judged: then `failed` (counts for the whole window) or
   * `succeeded` (stops counting). An attempt never judged (an outage) stops counting soon.
   */
  outcome: LoginAttemptOutcome;
  createdAt: Date;
}

type LoginAttemptOutcome = "pending" | "failed" | "succeeded";

/** Login attempts expire on their own (TTL) so the rate limiter's window needs no cleanup job. */
export const LOGIN_ATTEMPT_TTL_SECONDS = 3600;

const loginAttemptSchema = new Schema<LoginAttemptDoc>(
  {
    key: { type: String, required: true },
    outcome: { type: String, required: true, enum: ["pending", "failed", "succeeded"] },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: "loginAttempts", ...noLazyWork },
);
loginAttemptSchema.index({ key: 1, createdAt: -1 });
loginAttemptSchema.index({ createdAt: 1 }, { expireAfterSeconds: LOGIN_ATTEMPT_TTL_SECONDS });

/** Counter + recent-change ring read by every instance's registry poller (see tenant-registry.ts). */
interface RegistryVersionDoc {
  _id: string;
  v: number;
  recent: { tenantId: string }[];
}

const registryVersionSchema = new Schema<RegistryVersionDoc>(
  {
    _id: { type: String, required: true },
    v: { type: Number, required: true, default: 0 },
    recent: { type: [{ tenantId: String, _id: false }], default: [] },
  },
  { collection: "registryVersion", ...noLazyWork },
);

/**
 * One tenant's usage on one UTC day: counts only, never a name or any tenant content. API calls
 * grow by `$inc` at each flush (usage-metering.ts); the snapshot fields are overwritten by the
 * latest measurement of that day (null until the first one).
 */
export interface UsageDailyDoc {
  _id: Types.ObjectId;
  tenantId: Types.ObjectId;
  /** "YYYY-MM-DD", UTC. */
  day: string;
  apiCalls: number;
  seats: number | null;
  storageBytes: number | null;
  /** Items per counted module, by module name (e.g. { notes: 12 }). */
  documents: Record<string, number>;
}

const usageDailySchema = new Schema<UsageDailyDoc>(
  {
    tenantId: { type: Schema.Types.ObjectId, required: true },
    day: { type: String, required: true },
    apiCalls: { type: Number, default: 0 },
    seats: { type: Number, default: null },
    storageBytes: { type: Number, default: null },
    documents: { type: Schema.Types.Mixed, default: {} },
  },
  // No timestamps: the document holds counts only, so a scan can prove it carries nothing else.
  { collection: "usageDaily", minimize: false, versionKey: false, ...noLazyWork },
);
usageDailySchema.index({ tenantId: 1, day: 1 }, { unique: true });
usageDailySchema.index({ day: 1 });

/**
 * One running API instance, written by the instance itself every heartbeat interval
 * (instance-heartbeats.ts): who it is, since when, and its own pool figures. Never a secret, a
 * URI or a tenant's name. Deleted at a clean shutdown; a crashed instance's entry expires by TTL.
 */
export interface ApiInstanceDoc {
  /** The instance id (services' instanceId): host, pid and a random suffix. */
  _id: string;
  hostname: string;
  pid: number;
  node: string;
  version: string;
  startedAt: Date;
  lastSeenAt: Date;
  /** The instance's own heartbeat interval: it is stale after three of them without a beat. */
  intervalMs: number;
  memory: { rssBytes: number; heapUsedBytes: number };
  /** ReportedPoolStats (pool-stats.ts): counts only. */
  pool: Record<string, unknown>;
}

/** A crashed instance's entry is dropped this long after its last beat (TTL index). */
export const API_INSTANCE_TTL_SECONDS = 3600;

const apiInstanceSchema = new Schema<ApiInstanceDoc>(
  {
    _id: { type: String, required: true },
    hostname: { type: String, required: true },
    pid: { type: Number, required: true },
    node: { type: String, required: true },
    version: { type: String, required: true },
    startedAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    intervalMs: { type: Number, required: true },
    memory: { type: Schema.Types.Mixed, default: {} },
    pool: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: "apiInstances", minimize: false, versionKey: false, ...noLazyWork },
);
apiInstanceSchema.index({ lastSeenAt: 1 }, { expireAfterSeconds: API_INSTANCE_TTL_SECONDS });

export interface ControlModels {
  Tenant: Model<TenantDoc>;
  Directory: Model<DirectoryDoc>;
  Admin: Model<AdminDoc>;
  AdminSession: Model<AdminSessionDoc>;
  /** Super admins' reset links (tenant users' live in their tenant database, never here). */
  AdminPasswordReset: Model<PasswordResetDoc>;
  Cluster: Model<ClusterDoc>;
  Audit: Model<AuditDoc>;
  LoginAttempt: Model<LoginAttemptDoc>;
  RegistryVersion: Model<RegistryVersionDoc>;
  PlatformKey: Model<ApiKeyDoc>;
  UsageDaily: Model<UsageDailyDoc>;
  ApiInstance: Model<ApiInstanceDoc>;
}

export const controlSchemas = {
  Tenant: tenantSchema,
  Directory: directorySchema,
  Admin: adminSchema,
  AdminSession: adminSessionSchema,
  AdminPasswordReset: passwordResetSchema,
  Cluster: clusterSchema,
  Audit: auditSchema,
  LoginAttempt: loginAttemptSchema,
  RegistryVersion: registryVersionSchema,
  PlatformKey: apiKeySchema("platformKeys"),
  UsageDaily: usageDailySchema,
  ApiInstance: apiInstanceSchema,
};

export function registerControlModels(conn: Connection): ControlModels {
  return {
    Tenant: conn.model<TenantDoc>("Tenant", tenantSchema),
    Directory: conn.model<DirectoryDoc>("Directory", directorySchema),
    Admin: conn.model<AdminDoc>("Admin", adminSchema),
    AdminSession: conn.model<AdminSessionDoc>("AdminSession", adminSessionSchema),
    AdminPasswordReset: conn.model<PasswordResetDoc>(
      "AdminPasswordReset",
      passwordResetSchema,
      "adminPasswordResets",
    ),
    Cluster: conn.model<ClusterDoc>("Cluster", clusterSchema),
    Audit: conn.model<AuditDoc>("Audit", auditSchema),
    LoginAttempt: conn.model<LoginAttemptDoc>("LoginAttempt", loginAttemptSchema),
    RegistryVersion: conn.model<RegistryVersionDoc>("RegistryVersion", registryVersionSchema),
    PlatformKey: conn.model<ApiKeyDoc>("PlatformKey", controlSchemas.PlatformKey),
    UsageDaily: conn.model<UsageDailyDoc>("UsageDaily", usageDailySchema),
    ApiInstance: conn.model<ApiInstanceDoc>("ApiInstance", apiInstanceSchema),
  };
}

/** Creates collections and indexes; safe to run on every start (createIndexes is idempotent). */
export async function ensureControlIndexes(models: ControlModels): Promise<void> {
  for (const model of Object.values(models) as unknown as Model<never>[])
    await ensureCollection(model);
}
