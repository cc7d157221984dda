import { refuse } from "../../api-errors";
import { passwordWeakness } from "@tenantry/tenancy/policies";
import type { TenantContext } from "../../trpc";
import { recordTenantAudit } from "../tenant-audit";
import type { TChangePasswordInput } from "./change-password.schema";
import { beginLoginAttempt } from "./login.handler";

export async function changePasswordHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TChangePasswordInput;
}) {
  if (ctx.impersonatedBy) {
    throw refuse(
      "FORBIDDEN",
      "IMPERSONATION_READ_ONLY",
      "An impersonating admin cannot change the user's password",
    );
  }
  const { User, Session } = ctx.tenant.models;
  const attempt = await beginLoginAttempt(ctx, "tenant", ctx.user.email);
  // Read fresh: ctx.user may come from the auth-check cache, up to authCheckCacheMs old.
  const current = (
    await User.findById(ctx.user._id)
      .select({ passwordHash: 1 })
      .lean<{ passwordHash?: string | null }>()
  )?.passwordHash;
  if (!current || !(await ctx.services.passwords.verify(current, input.currentPassword))) {
    await attempt.failed();
    throw refuse("FORBIDDEN", "INVALID_CREDENTIALS", "Current password is incorrect");
  }
  await attempt.succeeded();
  const weakness = passwordWeakness(input.newPassword, ctx.user.email);
  if (weakness) throw refuse("BAD_REQUEST", "WEAK_PASSWORD", weakness);
  const now = new Date();
  const newHash = await ctx.services.passwords.hash(input.newPassword);
  let ended: { modifiedCount: number };
  try {
    await User.updateOne(
      { _id: ctx.user._id },
      { $set: { passwordHash: newHash, passwordChangedAt: now } },
    );
    // Other sign-ins of this user end; this one continues.
    ended = await Session.updateMany(
      { userId: ctx.user._id, familyId: { $ne: ctx.claims.sid }, revokedAt: null },
      { $set: { revokedAt: now, revokedReason: "password-changed" } },
    );
  } finally {
    ctx.services.authChecks.invalidate(ctx.tenant.tenant.id);
  }
  await recordTenantAudit(ctx, "auth.changePassword", ctx.user._id.toString());
  return { ok: true as const, otherSessionsEnded: ended.modifiedCount };
}
