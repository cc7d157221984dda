// A member's own second factor: status, enrol (QR code + manual key, confirmed by a first code,
// recovery codes shown once), new recovery codes, turn off; and the code step of a sign-in. The
// rules are tenancy's (two-factor.ts); everything is stored in the tenant's own database.
import QRCode from "qrcode";

import { refuse } from "../../api-errors";
import { mustEnrolTwoFactor } from "../../auth/two-factor-gate";
import { deliverTokens } from "../../auth/tenant-sessions";
import type { Context } from "../../context";
import type { LoginAttempt, TenantScope, UserDoc } from "../../tenancy-port";
import { parseTenantChallenge } from "../../tenancy-port";
import type { TenantContext } from "../../trpc";
import { recordTenantAudit } from "../tenant-audit";
import { beginLoginAttempt, finishTenantSignIn, publicTenant, publicUser } from "./login.handler";
import type {
  TDisableTwoFactorInput,
  TLoginSecondFactorInput,
  TTwoFactorCodeInput,
} from "./two-factor.schema";

/** What an enrolment screen shows: the QR code of the otpauth URI and the key to type by hand. */
export async function enrolmentView(enrolment: { secret: string; otpauthUri: string }) {
  return {
    manualKey: enrolment.secret,
    otpauthUri: enrolment.otpauthUri,
    qrCodeDataUrl: await QRCode.toDataURL(enrolment.otpauthUri, { margin: 1, width: 220 }),
  };
}

/** Judges a limiter attempt by whether `run` refused the code (or password) it was given. */
export async function judged<T>(attempt: LoginAttempt, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    await attempt.succeeded();
    return result;
  } catch (err) {
    if ((err as { code?: unknown }).code === "TWO_FACTOR_CODE_INVALID") await attempt.failed();
    else await attempt.succeeded();
    throw err;
  }
}

function ownAccount(ctx: TenantContext) {
  // Only the member themself: not an impersonating super admin, not an API key.
  if (ctx.impersonatedBy || ctx.serviceAccount)
    throw refuse(
      "FORBIDDEN",
      "FORBIDDEN_ROLE",
      "Only the member themself can change their two-factor sign-in",
    );
  const { twoFactor } = ctx.services.tenancy;
  return twoFactor.userAccount(ctx.tenant, ctx.user);
}

export async function twoFactorStatusHandler({ ctx }: { ctx: TenantContext }) {
  const status = await ctx.services.tenancy.twoFactor.status(
    ctx.services.tenancy.twoFactor.userAccount(ctx.tenant, ctx.user),
  );
  return { ...status, mustEnrol: await mustEnrolTwoFactor(ctx, ctx.tenant, ctx.user) };
}

export async function beginTwoFactorHandler({ ctx }: { ctx: TenantContext }) {
  const enrolment = await ctx.services.tenancy.twoFactor.beginEnrolment(ownAccount(ctx));
  return enrolmentView(enrolment);
}

export async function confirmTwoFactorHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TTwoFactorCodeInput;
}) {
  const account = ownAccount(ctx);
  const attempt = await beginLoginAttempt(ctx, "tenant", ctx.user.email);
  const { recoveryCodes } = await judged(attempt, () =>
    ctx.services.tenancy.twoFactor.confirmEnrolment(account, input.code),
  );
  // The cached user (auth checks) still says "no second factor": forget it, so the gate opens now.
  ctx.services.authChecks.invalidate(ctx.tenant.tenant.id);
  await recordTenantAudit(ctx, "auth.twoFactor.enabled", ctx.user._id.toString());
  return { recoveryCodes };
}

export async function regenerateRecoveryCodesHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TTwoFactorCodeInput;
}) {
  const account = ownAccount(ctx);
  const attempt = await beginLoginAttempt(ctx, "tenant", ctx.user.email);
  const result = await judged(attempt, () =>
    ctx.services.tenancy.twoFactor.regenerateRecoveryCodes(account, input.code),
  );
  await recordTenantAudit(ctx, "auth.twoFactor.recoveryCodesRenewed", ctx.user._id.toString());
  return result;
}

export async function disableTwoFactorHandler({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: TDisableTwoFactorInput;
}) {
  const account = ownAccount(ctx);
  const attempt = await beginLoginAttempt(ctx, "tenant", ctx.user.email);
  await judged(attempt, () => ctx.services.tenancy.twoFactor.disable(account, input));
  ctx.services.authChecks.invalidate(ctx.tenant.tenant.id);
  await recordTenantAudit(ctx, "auth.twoFactor.disabled", ctx.user._id.toString(), {
    proof: input.code ? "code" : "password",
  });
  return { ok: true as const };
}

const challengeInvalid = () =>
  refuse(
    "UNAUTHORIZED",
    "TWO_FACTOR_CHALLENGE_INVALID",
    "This sign-in has expired; enter your email and password again",
  );

/**
 * The code step of a sign-in. A wrong code is a failed attempt of the same limiter and keys as
 * the password step (email + client IP, email, IP), so guessing codes locks out the same way.
 */
export async function loginSecondFactorHandler({
  ctx,
  input,
}: {
  ctx: Context;
  input: TLoginSecondFactorInput;
}) {
  const routing = parseTenantChallenge(input.challenge);
  if (!routing) throw challengeInvalid();
  const signedIn = await ctx.services.tenancy
    .withTenant(routing.tenantId, async (scope: TenantScope) => {
      const user = await scope.models.User.findById(routing.userId).lean<UserDoc>();
      if (!user || user.status !== "active") throw challengeInvalid();
      const attempt = await beginLoginAttempt(ctx, "tenant", user.email);
      const { twoFactor } = ctx.services.tenancy;
      const outcome = await twoFactor
        .completeChallenge(twoFactor.userAccount(scope, user), input.challenge, input.code)
        .catch(async (err: unknown) => {
          await attempt.failed();
          throw err;
        });
      if (outcome === "wrong") {
        await attempt.failed();
        throw refuse("UNAUTHORIZED", "TWO_FACTOR_CODE_INVALID", "That code is not right");
      }
      await attempt.succeeded();
      return { tokens: await finishTenantSignIn(ctx, scope, user, outcome), user, scope };
    })
    .catch((err: unknown) => {
      if ((err as { code?: unknown }).code === "TENANT_NOT_FOUND") throw challengeInvalid();
      throw err;
    });
  return {
    status: "ok" as const,
    ...deliverTokens(ctx, signedIn.tokens),
    user: publicUser(signedIn.user),
    tenant: publicTenant(signedIn.scope),
  };
}
