// The signed-in user's own sessions (tenant database): the rules are tenancy's sessionFamilies;
// here the call's session and the auth-check cache (an ended session stops at once on this instance).
import { refuse } from "../../api-errors";
import { sessionFamilies } from "../../tenancy-port";
import type { TenantContext } from "../../trpc";
import { recordTenantAudit } from "../tenant-audit";
import type { TEndSessionInput } from "./sessions.schema";

function ownSessions(ctx: TenantContext) {
  if (ctx.impersonatedBy || ctx.serviceAccount) {
    throw refuse(
      "FORBIDDEN",
      "IMPERSONATION_READ_ONLY",
      "Only the person signed in can see and end their sessions",
    );
  }
  return sessionFamilies(ctx.tenant.models.Session, "userId");
}

export async function sessionsHandler({ ctx }: { ctx: TenantContext }) {
  const sessions = await ownSessions(ctx).list(ctx.user._id.toString(), ctx.claims.sid);
  return { sessions };
}

export async function endSessionHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TEndSessionInput;
}) {
  try {
    await ownSessions(ctx).end(ctx.user._id.toString(), input.sessionId, ctx.claims.sid);
  } finally {
    ctx.services.authChecks.invalidate(ctx.tenant.tenant.id);
  }
  await recordTenantAudit(ctx, "auth.endSession", ctx.user._id.toString());
  return { ok: true as const };
}

export async function endOtherSessionsHandler({ ctx }: { ctx: TenantContext }) {
  let ended: number;
  try {
    ended = await ownSessions(ctx).endOthers(ctx.user._id.toString(), ctx.claims.sid);
  } finally {
    ctx.services.authChecks.invalidate(ctx.tenant.tenant.id);
  }
  await recordTenantAudit(ctx, "auth.endOtherSessions", ctx.user._id.toString());
  return { ok: true as const, ended };
}
