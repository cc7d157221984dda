// The super admin's own sessions (control database): the rules are tenancy's admins.families;
// the admin guard reads the session's liveness on every call, so an ended one stops at once.
import { refuse } from "../../../api-errors";
import type { AdminContext } from "../../../trpc";
import type { TEndSessionInput } from "../../auth/sessions.schema";
import { recordAdminAudit } from "../admin-audit";

function ownSessions(ctx: AdminContext) {
  if (ctx.platformKey)
    throw refuse("FORBIDDEN", "FORBIDDEN_ROLE", "A platform key has no sessions to list or end");
  return ctx.services.tenancy.admins.families;
}

export async function adminSessionsHandler({ ctx }: { ctx: AdminContext }) {
  const sessions = await ownSessions(ctx).list(ctx.admin.id, ctx.adminClaims.sid);
  return { sessions };
}

export async function adminEndSessionHandler({
  ctx,
  input,
}: {
  ctx: AdminContext;
  input: TEndSessionInput;
}) {
  await ownSessions(ctx).end(ctx.admin.id, input.sessionId, ctx.adminClaims.sid);
  await recordAdminAudit(ctx, "admin.endSession", { target: ctx.admin.email });
  return { ok: true as const };
}

export async function adminEndOtherSessionsHandler({ ctx }: { ctx: AdminContext }) {
  const ended = await ownSessions(ctx).endOthers(ctx.admin.id, ctx.adminClaims.sid);
  await recordAdminAudit(ctx, "admin.endOtherSessions", {
    target: ctx.admin.email,
    details: { ended },
  });
  return { ok: true as const, ended };
}
