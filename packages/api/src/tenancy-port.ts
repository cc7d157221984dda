// The slice of @tenantry/tenancy the api uses, written from docs/package-interfaces.md so the api
// typechecks before tenancy lands; swapped for tenancy's own exported types once they exist.
import type { Connection, Model, Types } from "mongoose";

export type TenantStatus = "provisioning" | "active" | "suspended" | "deleted" | "purged";
export type MemberRole = "owner" | "admin" | "member";

export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  statusReason: string | null;
  dbName: string;
  cluster: string;
  plan: string;
  schemaVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserDoc {
  _id: Types.ObjectId;
  email: string;
  name: string;
  passwordHash: string | null;
  role: MemberRole;
  status: "active" | "invited" | "deactivated";
  lastLoginAt: Date | null;
  passwordChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SessionDoc {
  _id: Types.ObjectId;
  userId: Types.ObjectId;
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

export interface NoteDoc {
  _id: Types.ObjectId;
  title: string;
  body: string;
  tags: string[];
  authorId: Types.ObjectId;
  authorName: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SettingDoc {
  _id: string;
  displayName: string | null;
  preferences: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface TenantAuditDoc {
  _id: Types.ObjectId;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  impersonatedBy: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export interface TenantModels {
  User: Model<UserDoc>;
  Session: Model<SessionDoc>;
  Note: Model<NoteDoc>;
  Setting: Model<SettingDoc>;
  Audit: Model<TenantAuditDoc>;
}

export interface TenantScope {
  tenant: TenantRecord;
  conn: Connection;
  models: TenantModels;
}

export interface DirectoryDoc {
  _id: Types.ObjectId;
  email: string;
  tenantId: Types.ObjectId;
  tenantSlug: string;
  tenantName: string;
  role: MemberRole;
  userId: string | null;
}

export interface AdminDoc {
  _id: Types.ObjectId;
  email: string;
  name: string;
  passwordHash: string;
  status: "active" | "disabled";
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AdminSessionDoc {
  _id: Types.ObjectId;
  adminId: Types.ObjectId;
  tokenHash: string;
  familyId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  replacedBy: string | null;
  userAgent: string | null;
  ip: string | null;
}

export interface ControlAuditDoc {
  _id: Types.ObjectId;
  at: Date;
  actor: { type: "admin" | "system" | "user"; id?: string | null; email?: string | null };
  action: string;
  tenantId: Types.ObjectId | null;
  tenantSlug: string | null;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
}

export interface LoginAttemptDoc {
  _id: Types.ObjectId;
  key: string;
  success: boolean;
  createdAt: Date;
}

export interface TenantDoc {
  _id: Types.ObjectId;
  slug: string;
  name: string;
  status: TenantStatus;
  statusReason: string | null;
  dbName: string;
  cluster: string;
  plan: string;
  schemaVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ControlModels {
  Tenant: Model<TenantDoc>;
  Directory: Model<DirectoryDoc>;
  Admin: Model<AdminDoc>;
  AdminSession: Model<AdminSessionDoc>;
  Audit: Model<ControlAuditDoc>;
  LoginAttempt: Model<LoginAttemptDoc>;
}

export interface Membership {
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  role: MemberRole;
}

export interface PoolStats {
  [key: string]: unknown;
}

export interface ProvisionInput {
  slug: string;
  name: string;
  owner: { email: string; name: string; password: string };
  cluster?: string;
  plan?: string;
}

export interface AuditEntry {
  actor: { type: "admin" | "system" | "user"; id?: string | null; email?: string | null };
  action: string;
  tenantId?: string | null;
  tenantSlug?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export interface MigrationProgress {
  done: number;
  total: number;
  failed: number;
  [key: string]: unknown;
}

export interface Tenancy {
  control: ControlModels;
  registry: {
    get(id: string): Promise<TenantRecord>;
    getBySlug(slug: string): Promise<TenantRecord>;
    requireActive(id: string): Promise<TenantRecord>;
    isCached(id: string): boolean;
  };
  withTenant<T>(tenantId: string, fn: (scope: TenantScope) => Promise<T>): Promise<T>;
  directory: {
    findByEmail(email: string): Promise<Membership[]>;
  };
  lifecycle: {
    provision(input: ProvisionInput): Promise<TenantRecord>;
    suspend(id: string, reason: string, actor: AuditEntry["actor"]): Promise<unknown>;
    resume(id: string, actor: AuditEntry["actor"]): Promise<unknown>;
    softDelete(id: string, actor: AuditEntry["actor"]): Promise<unknown>;
    restore(id: string, actor: AuditEntry["actor"]): Promise<unknown>;
    purge(id: string, actor: AuditEntry["actor"]): Promise<unknown>;
    migrate(id: string): Promise<unknown>;
    migrateAll(opts: { concurrency?: number; onProgress?: (p: MigrationProgress) => void }): Promise<unknown>;
    exportTenant(id: string, file: string): Promise<unknown>;
  };
  clusters: {
    add(input: { name: string; uri: string }): Promise<unknown>;
    list(): Promise<{ name: string; tenantCount: number; healthy: boolean }[]>;
  };
  audit: {
    record(entry: AuditEntry): Promise<unknown>;
  };
  stats(): PoolStats;
  shutdown(opts?: { timeoutMs?: number }): Promise<void>;
}

export interface PasswordHashing {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}
