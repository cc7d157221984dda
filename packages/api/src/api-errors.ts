// Machine-readable failure reasons. Every refusal carries one in `data.reason` so callers branch
// on it instead of parsing messages; tenancy's typed errors are translated here, by their code.
import type { LimitUsage, TenancyErrorCode } from "@tenantry/tenancy";
import { QuotaExceeded, StorageReadOnly, isUnreachableError } from "@tenantry/tenancy";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

export type ApiReason =
  | "TENANT_SUSPENDED"
  | "TENANT_NOT_FOUND"
  | "TENANT_DELETED"
  | "TENANT_UNAVAILABLE"
  | "TENANT_MISMATCH"
  | "NO_TENANT_CONTEXT"
  | "SLUG_TAKEN"
  | "INVALID_INPUT"
  | "PROVISIONING_IN_PROGRESS"
  | "MIGRATION_LOCKED"
  | "CLUSTER_NOT_FOUND"
  | "SHUTTING_DOWN"
  | "INVALID_CREDENTIALS"
  | "RATE_LIMITED"
  | "AUTH_IN_BATCH"
  | "PAYLOAD_TOO_LARGE"
  | "UNAUTHENTICATED"
  | "TOKEN_INVALID"
  | "TOKEN_EXPIRED"
  | "SESSION_REVOKED"
  | "REFRESH_INVALID"
  | "REFRESH_REUSED"
  | "CSRF"
  | "FORBIDDEN_ROLE"
  | "LAST_OWNER"
  | "WEAK_PASSWORD"
  | "NOT_FOUND"
  | "CONFLICT"
  | "INVITE_INVALID"
  | "INVITE_EXPIRED"
  | "INVITE_REVOKED"
  | "INVITE_USED"
  | "IMPERSONATION_READ_ONLY"
  | "NOT_A_MEMBER"
  | "DATABASE_UNAVAILABLE"
  | "KEY_UNKNOWN"
  | "SCOPE_MISSING"
  | "RESET_TOKEN_INVALID"
  | "RESET_TOKEN_EXPIRED"
  | "RESET_TOKEN_USED"
  | "MAIL_UNAVAILABLE"
  | "TENANT_BUSY"
  | "TENANT_RATE_LIMITED"
  | "TWO_FACTOR_REQUIRED"
  | "TWO_FACTOR_CHALLENGE_INVALID"
  | "TWO_FACTOR_CODE_INVALID";

/** The cause carried by api refusals; `code` is the reason (same shape as tenancy's errors). */
export class ApiRefusal extends Error {
  constructor(
    readonly code: ApiReason,
    message: string,
    readonly details: { retryAfterSeconds?: number; suspendedReason?: string } = {},
  ) {
    super(message);
    this.name = "ApiRefusal";
  }
}

export function refuse(
  trpcCode: TRPC_ERROR_CODE_KEY,
  reason: ApiReason,
  message: string,
  details?: ApiRefusal["details"],
): TRPCError {
  return new TRPCError({
    code: trpcCode,
    message,
    cause: new ApiRefusal(reason, message, details),
  });
}

const TENANCY_CODES: Record<TenancyErrorCode, TRPC_ERROR_CODE_KEY> = {
  TENANT_NOT_FOUND: "NOT_FOUND",
  TENANT_SUSPENDED: "FORBIDDEN",
  TENANT_DELETED: "FORBIDDEN",
  TENANT_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  NO_TENANT_CONTEXT: "INTERNAL_SERVER_ERROR",
  SLUG_TAKEN: "CONFLICT",
  INVALID_INPUT: "BAD_REQUEST",
  WEAK_PASSWORD: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN_ROLE: "FORBIDDEN",
  LAST_OWNER: "PRECONDITION_FAILED",
  PROVISIONING_IN_PROGRESS: "CONFLICT",
  MIGRATION_LOCKED: "CONFLICT",
  CLUSTER_NOT_FOUND: "NOT_FOUND",
  SHUTTING_DOWN: "SERVICE_UNAVAILABLE",
  KEY_MALFORMED: "UNAUTHORIZED",
  KEY_UNKNOWN: "UNAUTHORIZED",
  KEY_REVOKED: "UNAUTHORIZED",
  KEY_EXPIRED: "UNAUTHORIZED",
  SCOPE_MISSING: "FORBIDDEN",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  RESET_TOKEN_INVALID: "BAD_REQUEST",
  RESET_TOKEN_EXPIRED: "BAD_REQUEST",
  RESET_TOKEN_USED: "BAD_REQUEST",
  INVITE_INVALID: "BAD_REQUEST",
  INVITE_EXPIRED: "BAD_REQUEST",
  INVITE_REVOKED: "BAD_REQUEST",
  INVITE_USED: "BAD_REQUEST",
  NOT_A_MEMBER: "FORBIDDEN",
  PASSWORD_REQUIRED: "FORBIDDEN",
  INVALID_CREDENTIALS: "FORBIDDEN",
  IMPERSONATION_READ_ONLY: "FORBIDDEN",
  INVITE_EMAIL_MISMATCH: "FORBIDDEN",
  JOIN_NEEDS_PASSWORD: "FORBIDDEN",
  SECOND_FACTOR_SIGN_IN: "FORBIDDEN",
  MAIL_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  // Plans: 402 for "the plan does not allow more", 403 for "the plan does not include this".
  QUOTA_EXCEEDED: "PAYMENT_REQUIRED",
  STORAGE_LIMIT_READ_ONLY: "PAYMENT_REQUIRED",
  FEATURE_NOT_IN_PLAN: "FORBIDDEN",
  // Admission (the plan's inFlight and requestsPerMinute): both carry Retry-After.
  TENANT_BUSY: "SERVICE_UNAVAILABLE",
  TENANT_RATE_LIMITED: "TOO_MANY_REQUESTS",
  // Two-factor sign-in: a wrong code is bad input; a stale challenge means "sign in again".
  TWO_FACTOR_CODE_INVALID: "BAD_REQUEST",
  TWO_FACTOR_ALREADY_ENABLED: "CONFLICT",
  TWO_FACTOR_NOT_ENABLED: "BAD_REQUEST",
  TWO_FACTOR_NOT_PENDING: "BAD_REQUEST",
  TWO_FACTOR_CHALLENGE_INVALID: "UNAUTHORIZED",
  TWO_FACTOR_REQUIRED: "FORBIDDEN",
};

/** A TRPCError for a domain error thrown below the api (tenancy, mongoose), or null if unknown. */
export function mapDomainError(cause: unknown): TRPCError | null {
  if (!(cause instanceof Error) || cause instanceof ApiRefusal) return null;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === "string" && code in TENANCY_CODES) {
    const trpcCode = TENANCY_CODES[code as TenancyErrorCode];
    const message = trpcCode === "INTERNAL_SERVER_ERROR" ? "Internal server error" : cause.message;
    return new TRPCError({ code: trpcCode, message, cause });
  }
  if (isUnreachableError(cause)) {
    return refuse(
      "SERVICE_UNAVAILABLE",
      "DATABASE_UNAVAILABLE",
      "The database is unreachable; try again shortly",
    );
  }
  if (code === 11000) {
    return refuse("CONFLICT", "CONFLICT", "A record with the same unique value already exists");
  }
  if (cause.name === "CastError" || cause.name === "ValidationError") {
    return refuse("BAD_REQUEST", "INVALID_INPUT", "Invalid input");
  }
  return null;
}

/** `data` extras for the error formatter: reason, retry time, suspension reason, plan limit. */
export function reasonOf(cause: unknown): {
  reason?: string;
  retryAfterSeconds?: number;
  suspendedReason?: string;
  missingScope?: string;
  /** A plan-limit refusal: which limit, the usage now and the maximum. */
  quota?: LimitUsage;
} {
  if (cause instanceof ApiRefusal) return { reason: cause.code, ...cause.details };
  if (cause instanceof Error) {
    const c = cause as {
      code?: unknown;
      reason?: unknown;
      retryAfterSeconds?: unknown;
      scope?: unknown;
    };
    if (typeof c.code === "string" && c.code in TENANCY_CODES) {
      return {
        reason: c.code,
        ...(c.code === "TENANT_SUSPENDED" && typeof c.reason === "string"
          ? { suspendedReason: c.reason }
          : {}),
        ...(typeof c.retryAfterSeconds === "number"
          ? { retryAfterSeconds: c.retryAfterSeconds }
          : {}),
        ...(c.code === "SCOPE_MISSING" && typeof c.scope === "string"
          ? { missingScope: c.scope }
          : {}),
        ...(cause instanceof QuotaExceeded || cause instanceof StorageReadOnly
          ? { quota: cause.usage }
          : {}),
      };
    }
  }
  return {};
}
