// API keys: service accounts of one tenant (keys in the tenant's own database) and platform keys
// for super-admin automation (control database). The rules live here once, for the api and the
// CLI: only owners and admins (or a key holding keys:admin) manage a tenant's keys; a key never
// grants scopes it does not hold itself; scopes come from the registered modules; the secret is
// returned once, by create, and only its hash is stored; revoked and expired keys are refused.
import type { Model } from "mongoose";
import { Types } from "mongoose";

import type { ApiKeyDoc, ApiKeyView, ServiceAccount } from "./api-key-models";
import { apiKeyView } from "./api-key-models";
import { keyRefusal, newApiKey, secretMatches } from "./api-key-secrets";
import { ApiKeyNotFound, ApiKeyRefused, InvalidInput, RoleForbidden, ScopeMissing } from "./errors";
import type { AuditLog } from "./audit-log";
import type { AuditActor, ControlModels } from "./control-models";
import type { MemberActor } from "./members";
import { recordTenantAudit } from "./members";
import {
  API_KEY_NAME_MAX_LENGTH,
  PLATFORM_KEY_SCOPES,
  scopeForCall,
  scopesProblem,
  tenantKeyScopes,
} from "./policies/api-key-scopes";
import type { UserDoc } from "./tenant-models";
import type { TenantScope } from "./tenancy-runtime";

export interface CreateKeyInput {
  name: string;
  scopes: string[];
  /** Unset or null: the key does not expire. */
  expiresAt?: Date | null;
}

export interface CreatedKey {
  key: ApiKeyView;
  /** The full key string; shown this once and never again (only its hash is kept). */
  secret: string;
}

/**
 * The tenant user a service account acts as in handlers and modules: an admin (never an owner,
 * so it can't create or change owners), with no email and no password.
 */
export function serviceAccountUser(account: ServiceAccount, createdAt: Date): UserDoc {
  return {
    _id: new Types.ObjectId(account.keyId),
    email: "",
    name: account.name,
    passwordHash: null,
    role: "admin",
    status: "active",
    lastLoginAt: null,
    passwordChangedAt: null,
    createdAt,
    updatedAt: createdAt,
  };
}

/**
 * The operator CLI managing a tenant's keys: it runs with the databases' credentials, so it acts
 * with a tenant admin's rights (never an owner's), and the tenant's audit names it (`cli:<user>`).
 */
export function operatorMemberActor(actor: AuditActor): MemberActor {
  return {
    user: {
      _id: new Types.ObjectId("000000000000000000000000"),
      email: `${actor.type}:${actor.id ?? "unknown"}`,
      role: "admin",
    },
  };
}

/** Bad input, naming its field (the CLI answers such errors with exit 2). */
const fieldProblem = (field: string, message: string) =>
  new InvalidInput(message, [`${field}: ${message}`]);

function checkedInput(input: CreateKeyInput, allowed: readonly string[]): CreateKeyInput {
  const name = input.name.trim();
  if (!name || name.length > API_KEY_NAME_MAX_LENGTH)
    throw fieldProblem("name", `A key needs a name of 1 to ${API_KEY_NAME_MAX_LENGTH} characters`);
  const scopes = [...new Set(input.scopes)];
  const problem = scopesProblem(scopes, allowed);
  if (problem) throw fieldProblem("scopes", problem);
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && !(expiresAt.getTime() > Date.now()))
    throw fieldProblem("expiresAt", "A key's expiry must be in the future");
  return { name, scopes, expiresAt };
}

// What tenant and platform keys do alike, on their own collection.
type KeyModel = Model<ApiKeyDoc>;

async function listKeys(model: KeyModel): Promise<ApiKeyView[]> {
  const docs = await model
    .find({}, { secretHash: 0 })
    .sort({ createdAt: -1 })
    .limit(500)
    .lean<ApiKeyDoc[]>();
  return docs.map(apiKeyView);
}

/** The key after revocation, and whether this call revoked it (false: it already was). */
async function revokeKey(
  model: KeyModel,
  keyId: string,
): Promise<{ key: ApiKeyView; revoked: boolean }> {
  if (!/^[0-9a-f]{24}$/i.test(keyId)) throw new ApiKeyNotFound();
  const doc = await model
    .findOneAndUpdate(
      { _id: keyId, revokedAt: null },
      { $set: { revokedAt: new Date() } },
      { returnDocument: "after", projection: { secretHash: 0 } },
    )
    .lean<ApiKeyDoc>();
  if (doc) return { key: apiKeyView(doc), revoked: true };
  const existing = await model.findById(keyId, { secretHash: 0 }).lean<ApiKeyDoc>();
  if (!existing) throw new ApiKeyNotFound();
  return { key: apiKeyView(existing), revoked: false };
}

/**
 * The account of a presented key (one read by _id), refused when unknown, revoked or expired;
 * records the last use and the caller's address.
 */
async function authenticateKey(
  model: KeyModel,
  key: { keyId: string; secret: string },
  ip: string | null,
): Promise<ServiceAccount> {
  const doc = await model.findById(key.keyId).lean<ApiKeyDoc>();
  if (!doc || !secretMatches(key.secret, doc.secretHash)) throw new ApiKeyRefused("KEY_UNKNOWN");
  const refusal = keyRefusal(doc);
  if (refusal) throw refusal;
  await model.updateOne(
    { _id: doc._id },
    { $set: { lastUsedAt: new Date(), lastUsedIp: ip } },
    { timestamps: false },
  );
  return { keyId: doc._id.toHexString(), name: doc.name, scopes: doc.scopes };
}

export class ApiKeys {
  /** Every scope a tenant key can hold: read/write per registered module, members:admin, keys:admin. */
  readonly scopes: string[];

  constructor(private readonly moduleNames: readonly string[]) {
    this.scopes = tenantKeyScopes(moduleNames);
  }

  /** Throws ScopeMissing unless the account may read or write `area` (a module or core area). */
  requireScope(account: ServiceAccount, area: string, access: "read" | "write", what: string) {
    const needed = scopeForCall(area, access, this.moduleNames);
    if (!needed || !account.scopes.includes(needed)) throw new ScopeMissing(needed, what);
  }

  /** Owners and admins manage keys; a key only with keys:admin. */
  private requireManager(actor: MemberActor): void {
    if (actor.serviceAccount) {
      this.requireScope(actor.serviceAccount, "keys", "write", "managing API keys");
      return;
    }
    if (actor.user.role !== "owner" && actor.user.role !== "admin")
      throw new RoleForbidden("Only owners and admins of this organisation manage API keys");
  }

  /** Audited as `keys.create` (name and scopes; never the secret). */
  async create(scope: TenantScope, actor: MemberActor, input: CreateKeyInput): Promise<CreatedKey> {
    this.requireManager(actor);
    const checked = checkedInput(input, this.scopes);
    const granting = actor.serviceAccount?.scopes;
    const beyond = granting ? checked.scopes.filter((s) => !granting.includes(s)) : [];
    if (beyond[0]) throw new ScopeMissing(beyond[0], "granting it to a new key");
    const { id, key, secretHash } = newApiKey("tenant", scope.tenant.id);
    const created = await scope.models.ApiKey.create({
      _id: id,
      ...checked,
      secretHash,
      createdBy: {
        id: actor.user._id.toString(),
        label: actor.serviceAccount ? `key ${actor.serviceAccount.name}` : actor.user.email,
      },
    });
    await recordTenantAudit(scope, actor, "keys.create", id.toHexString(), {
      name: checked.name,
      scopes: checked.scopes,
      expiresAt: checked.expiresAt,
    });
    return { key: apiKeyView(created.toObject()), secret: key };
  }

  /** Newest first, revoked ones included (they show when and that they were revoked). */
  async list(scope: TenantScope, actor: MemberActor): Promise<ApiKeyView[]> {
    this.requireManager(actor);
    return listKeys(scope.models.ApiKey);
  }

  /** Takes effect on this instance at once and on every other within the auth-check TTL; audited as `keys.revoke`. */
  async revoke(scope: TenantScope, actor: MemberActor, keyId: string): Promise<ApiKeyView> {
    this.requireManager(actor);
    const { key, revoked } = await revokeKey(scope.models.ApiKey, keyId);
    if (revoked) await recordTenantAudit(scope, actor, "keys.revoke", keyId, { name: key.name });
    return key;
  }

  authenticate(
    scope: TenantScope,
    key: { keyId: string; secret: string },
    ip: string | null,
  ): Promise<ServiceAccount> {
    return authenticateKey(scope.models.ApiKey, key, ip);
  }
}

/** Platform keys: created by the operator CLI or a super admin, never by another key. */
export class PlatformKeys {
  readonly scopes: readonly string[] = PLATFORM_KEY_SCOPES;

  constructor(
    private readonly models: Pick<ControlModels, "PlatformKey">,
    private readonly audit: AuditLog,
  ) {}

  private requireManager(actor: AuditActor): void {
    if (actor.type !== "admin" && actor.type !== "cli")
      throw new RoleForbidden("Only super admins and the operator CLI manage platform keys");
  }

  /** Audited as `platformKey.created`. */
  async create(actor: AuditActor, input: CreateKeyInput): Promise<CreatedKey> {
    this.requireManager(actor);
    const checked = checkedInput(input, this.scopes);
    const { id, key, secretHash } = newApiKey("platform");
    const created = await this.models.PlatformKey.create({
      _id: id,
      ...checked,
      secretHash,
      createdBy: { id: actor.id ?? "", label: actor.email ?? actor.id ?? actor.type },
    });
    await this.audit.record({
      actor,
      action: "platformKey.created",
      target: id.toHexString(),
      details: { name: checked.name, scopes: checked.scopes },
    });
    return { key: apiKeyView(created.toObject()), secret: key };
  }

  list(): Promise<ApiKeyView[]> {
    return listKeys(this.models.PlatformKey);
  }

  /** Audited as `platformKey.revoked`. */
  async revoke(actor: AuditActor, keyId: string): Promise<ApiKeyView> {
    this.requireManager(actor);
    const { key, revoked } = await revokeKey(this.models.PlatformKey, keyId);
    if (revoked)
      await this.audit.record({
        actor,
        action: "platformKey.revoked",
        target: keyId,
        details: { name: key.name },
      });
    return key;
  }

  authenticate(key: { keyId: string; secret: string }, ip: string | null): Promise<ServiceAccount> {
    return authenticateKey(this.models.PlatformKey, key, ip);
  }

  /** Throws ScopeMissing unless the platform key may read (queries) or write (mutations). */
  requireScope(account: ServiceAccount, access: "read" | "write", what: string): void {
    const needed = `platform:${access}`;
    if (!account.scopes.includes(needed)) throw new ScopeMissing(needed, what);
  }
}
