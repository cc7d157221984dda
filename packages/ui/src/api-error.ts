// Reads the shape of a tRPC client error structurally, so this package needs no tRPC dependency.
export interface ApiErrorInfo {
  message: string;
  /** tRPC code, e.g. UNAUTHORIZED, BAD_REQUEST. */
  code: string | undefined;
  /** Machine-readable reason from the api: TENANT_SUSPENDED, INVALID_CREDENTIALS, ... */
  reason: string | undefined;
  /** zod field errors keyed by top-level field (first message of each). */
  fieldErrors: Record<string, string>;
  /** Extra data the api attached (e.g. the suspension reason). */
  data: Record<string, unknown>;
}

const FRIENDLY: Record<string, string> = {
  INVALID_CREDENTIALS: "Email or password is incorrect.",
  RATE_LIMITED: "Too many attempts. Please wait a moment and try again.",
  TENANT_SUSPENDED: "This organisation is suspended.",
  TENANT_NOT_FOUND: "Organisation not found.",
  TENANT_DELETED:
    "This organisation has been deleted. Contact its owner or the platform support team.",
  TENANT_UNAVAILABLE: "This organisation is temporarily unavailable. Please try again shortly.",
};

/** The organisation's own state: a tenant user reads these in the app's words, never tenancy's. */
const ORGANISATION_STATE = [
  "TENANT_SUSPENDED",
  "TENANT_NOT_FOUND",
  "TENANT_DELETED",
  "TENANT_UNAVAILABLE",
];

export interface DescribeOptions {
  /** For the tenant app: the organisation's state is told in its words ("organisation", not "tenant"). */
  tenantFacing?: boolean;
}

export function describeApiError(err: unknown, opts: DescribeOptions = {}): ApiErrorInfo {
  const e = (err ?? {}) as { message?: unknown; data?: unknown; shape?: { data?: unknown } };
  const data = ((e.data ?? e.shape?.data ?? {}) as Record<string, unknown>) ?? {};
  const code = typeof data.code === "string" ? data.code : undefined;
  const reason = typeof data.reason === "string" ? data.reason : undefined;
  const fieldErrors: Record<string, string> = {};
  const zod = data.zodError as
    { fieldErrors?: Record<string, string[] | undefined> } | null | undefined;
  for (const [k, v] of Object.entries(zod?.fieldErrors ?? {})) {
    if (v && v[0]) fieldErrors[k] = v[0];
  }
  let message = typeof e.message === "string" && e.message ? e.message : "Something went wrong.";
  // Zod messages arrive as a JSON dump in `message`; show a sentence instead.
  if (message.trim().startsWith("[") || message.trim().startsWith("{")) {
    message =
      Object.keys(fieldErrors).length > 0
        ? "Please fix the highlighted fields."
        : "The request was not valid.";
  }
  if (message === "Failed to fetch" || message.includes("NetworkError"))
    message = "Cannot reach the server. Check your connection and try again.";
  if (
    reason &&
    FRIENDLY[reason] &&
    (code === "INTERNAL_SERVER_ERROR" ||
      !e.message ||
      (opts.tenantFacing && ORGANISATION_STATE.includes(reason)))
  )
    message = FRIENDLY[reason];
  if (code === "INTERNAL_SERVER_ERROR")
    message = "Something went wrong on our side. Please try again.";
  return { message, code, reason, fieldErrors, data };
}
