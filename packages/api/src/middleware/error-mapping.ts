// Domain errors (tenancy's typed errors, driver outages, mongoose validation) become TRPCErrors
// with a machine reason here, once, for every procedure; handlers just let them through.
import type { TRPCError } from "@trpc/server";

import { mapDomainError } from "../api-errors";

export async function mapErrors<R extends { ok: boolean; error?: TRPCError }>({
  next,
}: {
  next: () => Promise<R>;
}): Promise<R> {
  const result = await next();
  if (result.ok || !result.error) return result;
  const mapped = mapDomainError(result.error.cause);
  if (mapped) throw mapped;
  return result;
}
