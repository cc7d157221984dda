// Cookie-authenticated mutations need the CSRF header from an allowed origin (context.ts decides
// csrfRequired/csrfOk); and password checks and token rotations are never part of a batch.
import { refuse } from "../api-errors";
import type { Context } from "../context";
import { SOLO_PROCEDURES } from "../http/request-limits";

/** Throws the refusal when this call breaks either rule. */
export function assertRequestAllowed(ctx: Context, path: string, type: string): void {
  if (type === "mutation" && ctx.csrfRequired && !ctx.csrfOk) {
    throw refuse(
      "FORBIDDEN",
      "CSRF",
      "Cookie-authenticated mutations need the x-tenantry-csrf: 1 header from an allowed origin",
    );
  }
  if (ctx.batchSize > 1 && SOLO_PROCEDURES.includes(path)) {
    throw refuse(
      "BAD_REQUEST",
      "AUTH_IN_BATCH",
      `${path} cannot be sent in a batch with other calls; send it as a request of its own`,
    );
  }
}

export function requestGuards<R>({
  ctx,
  path,
  type,
  next,
}: {
  ctx: Context;
  path: string;
  type: string;
  next: () => Promise<R>;
}): Promise<R> {
  assertRequestAllowed(ctx, path, type);
  return next();
}
