import "server-only";

/** Code and machine reason of an error thrown by a server-side tRPC call. */
export function serverError(err: unknown): {
  code?: string;
  reason?: string;
  message: string;
  suspendedReason?: string;
} {
  const e = (err ?? {}) as { code?: unknown; message?: unknown; cause?: unknown; reason?: unknown };
  const cause = (e.cause ?? {}) as {
    code?: unknown;
    reason?: unknown;
    details?: { suspendedReason?: unknown };
  };
  const code = typeof e.code === "string" ? e.code : undefined;
  const reasonCandidates = [e.reason, cause.code];
  const reason = reasonCandidates.find(
    (r): r is string => typeof r === "string" && /^[A-Z_]+$/.test(r),
  );
  // ApiRefusal carries it in details; tenancy's TenantSuspended in .reason.
  const raw = cause.details?.suspendedReason ?? cause.reason;
  const suspendedReason = typeof raw === "string" ? raw : undefined;
  return {
    ...(code ? { code } : {}),
    ...(reason ? { reason } : {}),
    ...(suspendedReason ? { suspendedReason } : {}),
    message: typeof e.message === "string" ? e.message : "Unexpected error",
  };
}
