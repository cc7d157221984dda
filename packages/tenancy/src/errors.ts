// Typed domain errors: the api maps these by `code` to tRPC errors, so codes are stable strings.

export type TenancyErrorCode =
  | "TENANT_NOT_FOUND"
  | "TENANT_SUSPENDED"
  | "TENANT_DELETED"
  | "TENANT_UNAVAILABLE"
  | "NO_TENANT_CONTEXT"
  | "SLUG_TAKEN"
  | "INVALID_INPUT"
  | "WEAK_PASSWORD"
  | "NOT_FOUND"
  | "CONFLICT"
  | "FORBIDDEN_ROLE"
  | "LAST_OWNER"
  | "PROVISIONING_IN_PROGRESS"
  | "MIGRATION_LOCKED"
  | "CLUSTER_NOT_FOUND"
  | "SHUTTING_DOWN"
  | ApiKeyRefusalCode
  | "SCOPE_MISSING"
  | "RATE_LIMITED"
  | "RESET_TOKEN_INVALID"
  | "RESET_TOKEN_EXPIRED"
  | "RESET_TOKEN_USED"
  | InviteRefusalCode
  | SwitchRefusalCode
  | "MAIL_UNAVAILABLE"
  | "QUOTA_EXCEEDED"
  | "STORAGE_LIMIT_READ_ONLY"
  | "FEATURE_NOT_IN_PLAN"
  | "TENANT_BUSY"
  | "TENANT_RATE_LIMITED"
  | TwoFactorRefusalCode;

export class TenancyError extends Error {
  readonly code: TenancyErrorCode;
  constructor(code: TenancyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class TenantNotFound extends TenancyError {
  readonly tenant: string;
  constructor(tenant: string) {
    super("TENANT_NOT_FOUND", `Tenant "${tenant}" not found`);
    this.tenant = tenant;
  }
}

export class TenantSuspended extends TenancyError {
  readonly tenantId: string;
  readonly reason: string;
  constructor(tenantId: string, reason: string) {
    super("TENANT_SUSPENDED", `Tenant is suspended: ${reason}`);
    this.tenantId = tenantId;
    this.reason = reason;
  }
}

export class TenantDeleted extends TenancyError {
  readonly tenantId: string;
  constructor(tenantId: string) {
    super("TENANT_DELETED", "Tenant has been deleted");
    this.tenantId = tenantId;
  }
}

export class TenantUnavailable extends TenancyError {
  readonly tenantId: string | undefined;
  constructor(message: string, tenantId?: string, options?: { cause?: unknown }) {
    super("TENANT_UNAVAILABLE", message, options);
    this.tenantId = tenantId;
  }
}

export class NoTenantContext extends TenancyError {
  constructor() {
    super("NO_TENANT_CONTEXT", "No tenant in scope: wrap the call in withTenant()");
  }
}

export class SlugTaken extends TenancyError {
  readonly slug: string;
  constructor(slug: string) {
    super("SLUG_TAKEN", `The slug "${slug}" is already taken`);
    this.slug = slug;
  }
}

export class InvalidInput extends TenancyError {
  readonly issues: string[];
  constructor(message: string, issues: string[] = []) {
    super("INVALID_INPUT", message);
    this.issues = issues;
  }
}

/** A password the one password policy (policies/password.ts) refuses; the message says why. */
export class WeakPassword extends TenancyError {
  /** The policy's sentence alone, without the "Owner password: " prefix of the message. */
  readonly weakness: string;
  constructor(whose: string | null, weakness: string) {
    super("WEAK_PASSWORD", whose ? `${whose} password: ${weakness}` : weakness);
    this.weakness = weakness;
  }
}

export class MemberNotFound extends TenancyError {
  constructor() {
    super("NOT_FOUND", "No such member in this organisation");
  }
}

export class MemberExists extends TenancyError {
  constructor() {
    super("CONFLICT", "A member with this email already exists");
  }
}

/** The actor's role does not allow the change (only owners touch owners). */
export class WebhookNotFound extends TenancyError {
  constructor(what: "endpoint" | "delivery") {
    super("NOT_FOUND", `No such webhook ${what}`);
  }
}

export class RoleForbidden extends TenancyError {
  constructor(message: string) {
    super("FORBIDDEN_ROLE", message);
  }
}

export class ApiKeyNotFound extends TenancyError {
  constructor() {
    super("NOT_FOUND", "No such API key");
  }
}

export class AdminNotFound extends TenancyError {
  constructor(email: string) {
    super("NOT_FOUND", `No super admin ${email}`);
  }
}

/** A tenant always keeps an active owner who can administer it. */
export class LastOwner extends TenancyError {
  constructor(action: string, message?: string) {
    super("LAST_OWNER", message ?? `The last owner cannot be ${action}`);
  }
}

export class ProvisioningInProgress extends TenancyError {
  constructor(slug: string) {
    super(
      "PROVISIONING_IN_PROGRESS",
      `Tenant "${slug}" is being provisioned by another worker; retry shortly`,
    );
  }
}

export class MigrationLocked extends TenancyError {
  constructor(tenantId: string) {
    super("MIGRATION_LOCKED", `Tenant ${tenantId} is being migrated by another worker`);
  }
}

export class ClusterNotFound extends TenancyError {
  constructor(name: string) {
    super("CLUSTER_NOT_FOUND", `Cluster "${name}" is not registered`);
  }
}

/** Why an API key was refused (every one a 401): callers branch on these. */
export type ApiKeyRefusalCode = "KEY_MALFORMED" | "KEY_UNKNOWN" | "KEY_REVOKED" | "KEY_EXPIRED";

const KEY_REFUSAL_MESSAGES: Record<ApiKeyRefusalCode, string> = {
  KEY_MALFORMED: "This is not a Tenantry API key",
  KEY_UNKNOWN: "No such API key (or a wrong secret)",
  KEY_REVOKED: "This API key has been revoked",
  KEY_EXPIRED: "This API key has expired",
};

export class ApiKeyRefused extends TenancyError {
  constructor(code: ApiKeyRefusalCode) {
    super(code, KEY_REFUSAL_MESSAGES[code]);
  }
}

/** The key's scopes don't cover the call; `scope` names the one it lacks. */
export class ScopeMissing extends TenancyError {
  readonly scope: string | null;
  constructor(scope: string | null, what: string) {
    super(
      "SCOPE_MISSING",
      scope
        ? `This API key lacks the scope ${scope} (needed for ${what})`
        : `API keys can't call ${what}; sign in as a person`,
    );
    this.scope = scope;
  }
}

/** An API key (or its tenant) made more calls than its limit allows in the current window. */
export class KeyRateLimited extends TenancyError {
  constructor(readonly retryAfterSeconds: number) {
    super("RATE_LIMITED", `Too many calls with this API key; retry in ${retryAfterSeconds} s`);
  }
}

/** A password-reset link that cannot be used; the code says why (forged, expired, used). */
export class ResetLinkRefused extends TenancyError {
  constructor(code: "RESET_TOKEN_INVALID" | "RESET_TOKEN_EXPIRED" | "RESET_TOKEN_USED") {
    const why = {
      RESET_TOKEN_INVALID: "This password-reset link is not valid",
      RESET_TOKEN_EXPIRED: "This password-reset link has expired; ask for a new one",
      RESET_TOKEN_USED: "This password-reset link has already been used; ask for a new one",
    }[code];
    super(code, why);
  }
}

/** Why an invite link cannot be accepted (every one a 400): the accept page says which. */
export type InviteRefusalCode =
  "INVITE_INVALID" | "INVITE_EXPIRED" | "INVITE_REVOKED" | "INVITE_USED";

export class InviteRefused extends TenancyError {
  constructor(code: InviteRefusalCode) {
    const why = {
      INVITE_INVALID: "This invitation link is not valid. Open the full link from your email",
      INVITE_EXPIRED: "This invitation has expired; ask the person who invited you for a new one",
      INVITE_REVOKED:
        "This invitation was withdrawn or replaced by a newer one; use the latest email or ask for a new invitation",
      INVITE_USED: "This invitation has already been accepted; sign in instead",
    }[code];
    super(code, why);
  }
}

/** Why switching organisation (or joining one with an existing account) was refused (every one a 403). */
export type SwitchRefusalCode =
  | "NOT_A_MEMBER"
  | "PASSWORD_REQUIRED"
  | "INVALID_CREDENTIALS"
  | "IMPERSONATION_READ_ONLY"
  | "INVITE_EMAIL_MISMATCH"
  | "JOIN_NEEDS_PASSWORD"
  | "SECOND_FACTOR_SIGN_IN";

export class SwitchRefused extends TenancyError {
  constructor(code: SwitchRefusalCode, message?: string) {
    const why = {
      NOT_A_MEMBER: "You are not a member of that organisation.",
      PASSWORD_REQUIRED:
        "That organisation asks for its own password. Enter your password there (or reset it from the sign-in page).",
      INVALID_CREDENTIALS: "Password is incorrect for that organisation.",
      IMPERSONATION_READ_ONLY: "Impersonation is limited to one organisation.",
      INVITE_EMAIL_MISMATCH:
        "This invitation is for another email address than the one you are signed in with.",
      JOIN_NEEDS_PASSWORD:
        "That organisation asks for its own password: choose one to accept the invitation.",
      SECOND_FACTOR_SIGN_IN:
        "Your account there signs in with a second factor: sign out, then sign in to that organisation with your code.",
    }[code];
    super(code, message ?? why);
  }
}

/** The mail could not be handed to the SMTP server (or none is configured). */
export class MailUnavailable extends TenancyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("MAIL_UNAVAILABLE", message, options);
  }
}

/** What a plan-limit refusal names: the limit, the tenant's usage now and the maximum. */
export interface LimitUsage {
  limit: string;
  used: number;
  max: number;
}

/** One more item (member, note, ...) would exceed the tenant's plan; nothing was written. */
export class QuotaExceeded extends TenancyError {
  readonly usage: LimitUsage;
  constructor(usage: LimitUsage) {
    super(
      "QUOTA_EXCEEDED",
      `Plan limit reached: ${usage.limit} ${usage.used} of ${usage.max}; upgrade the plan or free some up`,
    );
    this.usage = usage;
  }
}

/** The tenant database is over its storage limit: reads work, writes are refused. */
export class StorageReadOnly extends TenancyError {
  readonly usage: LimitUsage;
  constructor(usage: LimitUsage) {
    super(
      "STORAGE_LIMIT_READ_ONLY",
      `This organisation is read-only: it stores ${usage.used} bytes, over its plan's ${usage.max}`,
    );
    this.usage = usage;
  }
}

export class FeatureNotInPlan extends TenancyError {
  readonly feature: string;
  constructor(feature: string, plan: string) {
    super("FEATURE_NOT_IN_PLAN", `"${feature}" is not included in the ${plan} plan`);
    this.feature = feature;
  }
}

/**
 * The tenant already has its plan's in-flight bound at work and its queue is full, or a queued
 * call waited out the queue's deadline: refused at once rather than queued without bound.
 */
export class TenantBusy extends TenancyError {
  constructor(
    readonly tenantId: string,
    why: string,
    readonly retryAfterSeconds: number,
  ) {
    super(
      "TENANT_BUSY",
      `This organisation has too many requests in progress (${why}); retry in ${retryAfterSeconds} s`,
    );
  }
}

/** The tenant made more calls this minute than its plan's requestsPerMinute (all instances together). */
export class TenantRateLimited extends TenancyError {
  constructor(
    readonly tenantId: string,
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      "TENANT_RATE_LIMITED",
      `This organisation is over its plan's ${limit} requests per minute; retry in ${retryAfterSeconds} s`,
    );
  }
}

const UNREACHABLE_ERROR_NAMES = new Set([
  "MongoServerSelectionError",
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoTopologyClosedError",
  "MongoNotConnectedError",
  "MongoPoolClearedError",
  "MongoOperationTimeoutError",
  "MongoClientClosedError",
  "MongooseServerSelectionError",
]);
// Socket-level failures the driver sometimes reports inside a write error (e.g. insertMany's
// MongoBulkWriteError) instead of as a network error of its own.
const SOCKET_FAILURE =
  /\b(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|connection \d+ to .* closed|connection closed)\b/;

function hasAnyLabel(err: Error, labels: string[]): boolean {
  const has = (err as { hasErrorLabel?: (label: string) => boolean }).hasErrorLabel;
  return typeof has === "function" && labels.some((l) => has.call(err, l));
}

/** Driver errors that mean "the database cannot be reached", as opposed to a bad query. */
export function isUnreachableError(err: unknown): boolean {
  return unreachableAtDepth(err, 0);
}

function unreachableAtDepth(err: unknown, depth: number): boolean {
  if (!(err instanceof Error) || depth > 5) return false;
  if (UNREACHABLE_ERROR_NAMES.has(err.name)) return true;
  // A transaction (the outbox's) that the driver gave up on while the server was away: its own
  // labels for "retry the whole transaction" / "the commit's outcome is unknown". Nothing
  // half-written stays behind (an aborted transaction leaves nothing); the caller may retry.
  if (hasAnyLabel(err, ["TransientTransactionError", "UnknownTransactionCommitResult"]))
    return true;
  // Wrapped errors: the driver and mongoose put the underlying failure in `cause`.
  if (unreachableAtDepth((err as { cause?: unknown }).cause, depth + 1)) return true;
  return err.name.startsWith("Mongo") &&
    !("code" in err && typeof err.code === "number" && err.code > 0)
    ? SOCKET_FAILURE.test(err.message)
    : false;
}

export type TwoFactorRefusalCode =
  | "TWO_FACTOR_CODE_INVALID"
  | "TWO_FACTOR_ALREADY_ENABLED"
  | "TWO_FACTOR_NOT_ENABLED"
  | "TWO_FACTOR_NOT_PENDING"
  | "TWO_FACTOR_CHALLENGE_INVALID"
  | "TWO_FACTOR_REQUIRED";

/** A two-factor step refused: wrong code, nothing to confirm, a stale challenge (two-factor.ts). */
export class TwoFactorRefused extends TenancyError {
  constructor(code: TwoFactorRefusalCode, message: string) {
    super(code, message);
  }
}
