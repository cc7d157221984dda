// A super admin's own second factor (stored on their record in the control database's `admins`)
// and the code step of their sign-in. Same rules as members' (tenancy two-factor.ts).
import { refuse } from "../../../api-errors";
import { issueAdminSession } from "../../../auth/admin-sessions";
import { deliverTokens } from "../../../auth/tenant-sessions";
import type { Context } from "../../../context";
import { parseAdminChallenge } from "../../../tenancy-port";
import type { AdminContext } from "../../../trpc";
import { beginLoginAttempt } from "../../auth/login.handler";
import { enrolmentView, judged } from "../../auth/two-factor.handler";
import type {
  TDisableTwoFactorInput,
  TLoginSecondFactorInput,
  TTwoFactorCodeInput,
} from "../../auth/two-factor.schema";
import { recordAdminAudit } from "../admin-audit";
import { publicAdmin } from "./admin-auth.handler";

function ownAccount(ctx: AdminContext) {
  if (ctx.platformKey)
    throw refuse("FORBIDDEN", "FORBIDDEN_ROLE", "A platform key has no two-factor sign-in");
  return ctx.services.tenancy.admins.secondFactorAccount(ctx.admin);
}

export async function adminTwoFactorStatusHandler({ ctx }: { ctx: AdminContext }) {
  return ctx.services.tenancy.twoFactor.status(ownAccount(ctx));
}

export async function adminBeginTwoFactorHandler({ ctx }: { ctx: AdminContext }) {
  return enrolmentView(await ctx.services.tenancy.twoFactor.beginEnrolment(ownAccount(ctx)));
}

export async function adminConfirmTwoFactorHandler({
  ctx,
  input,
}: {
  ctx: AdminContext;
  input: TTwoFactorCodeInput;
}) {
  const account = ownAccount(ctx);
  const attempt = await beginLoginAttempt(ctx, "admin", ctx.admin.email);
  const result = await judged(attempt, () =>
    ctx.services.tenancy.twoFactor.confirmEnrolment(account, input.code),
  );
  await recordAdminAudit(ctx, "admin.twoFactor.enabled", { target: ctx.admin.email });
  return result;
}

export async function adminRegenerateRecoveryCodesHandler({
  ctx,
  input,
}: {
  ctx: AdminContext;
  input: TTwoFactorCodeInput;
}) {
  const account = ownAccount(ctx);
  const attempt = await beginLoginAttempt(ctx, "admin", ctx.admin.email);
  const result = await judged(attempt, () =>
    ctx.services.tenancy.twoFactor.regenerateRecoveryCodes(account, input.code),
  );
  await recordAdminAudit(ctx, "admin.twoFactor.recoveryCodesRenewed", {
    target: ctx.admin.email,
  });
  return result;
}

export async function adminDisableTwoFactorHandler({
  ctx,
  input,
}: {
  ctx: AdminContext;
  input: TDisableTwoFactorInput;
}) {
  const account = ownAccount(ctx);
  const attempt = await beginLoginAttempt(ctx, "admin", ctx.admin.email);
  await judged(attempt, () => ctx.services.tenancy.twoFactor.disable(account, input));
  await recordAdminAudit(ctx, "admin.twoFactor.disabled", {
    target: ctx.admin.email,
    details: { proof: input.code ? "code" : "password" },
  });
  return { ok: true as const };
}

const challengeInvalid = () =>
  refuse(
    "UNAUTHORIZED",
    "TWO_FACTOR_CHALLENGE_INVALID",
    "This sign-in has expired; enter your email and password again",
  );

/** The code step of a super admin's sign-in; wrong codes count in the "admin" login limits. */
export async function adminLoginSecondFactorHandler({
  ctx,
  input,
}: {
  ctx: Context;
  input: TLoginSecondFactorInput;
}) {
  const routing = parseAdminChallenge(input.challenge);
  if (!routing) throw challengeInvalid();
  const { admins, twoFactor } = ctx.services.tenancy;
  const admin = await admins.get(routing.adminId);
  if (!admin || admin.status !== "active") throw challengeInvalid();
  const attempt = await beginLoginAttempt(ctx, "admin", admin.email);
  const outcome = await twoFactor
    .completeChallenge(admins.secondFactorAccount(admin), input.challenge, input.code)
    .catch(async (err: unknown) => {
      await attempt.failed();
      throw err;
    });
  if (outcome === "wrong") {
    await attempt.failed();
    throw refuse("UNAUTHORIZED", "TWO_FACTOR_CODE_INVALID", "That code is not right");
  }
  await attempt.succeeded();
  await ctx.services.tenancy.audit.record({
    actor: { type: "admin", id: admin.id, email: admin.email, ip: ctx.ip },
    action: "admin.login.secondFactor",
    details: { secondFactor: outcome },
  });
  const tokens = await issueAdminSession(ctx, admin);
  return { status: "ok" as const, ...deliverTokens(ctx, tokens), admin: publicAdmin(admin) };
}
