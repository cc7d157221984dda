// Domain errors (tenancy's typed errors, driver outages, mongoose validation) become TRPCErrors
// with a machine reason here, once, for every procedure; handlers just let them through. A
// refusal that says when to come back (rate limits, a busy tenant) gets its Retry-After header
// here too, from the error's own retryAfterSeconds, so no handler sets it by hand.
import type { TRPCError } from "@trpc/server";

import { mapDomainError, reasonOf } from "../api-errors";
import type { Context } from "../context";

export async function mapErrors<R extends { ok: boolean; error?: TRPCError }>({
  ctx,
  next,
}: {
  ctx: Context;
  next: () => Promise<R>;
}): Promise<R> {
  const result = await next();
  if (result.ok || !result.error) return result;
  const cause = result.error.cause;
  const { retryAfterSeconds } = reasonOf(cause);
  if (retryAfterSeconds !== undefined) ctx.resHeaders.set("retry-after", String(retryAfterSeconds));
  const mapped = mapDomainError(cause);
  // Returned, not thrown: observe() runs this inside its own tRPC middleware level (trpc.ts).
  return mapped ? { ...result, error: mapped } : result;
}
