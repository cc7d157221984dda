import { refuse } from "../../../api-errors";
import {
  issueAdminSession,
  revokeAdminFamily,
  rotateAdminRefresh,
} from "../../../auth/admin-sessions";
import { hashToken } from "../../../auth/refresh-tokens";
import { clearTokens, deliverTokens, presentedRefreshToken } from "../../../auth/tenant-sessions";
import { adminMustEnrol } from "../../../auth/two-factor-gate";
import type { Context } from "../../../context";
import type { AdminAccount } from "../../../tenancy-port";
import type { AdminContext } from "../../../trpc";
import { INVALID_CREDENTIALS_MESSAGE, beginLoginAttempt } from "../../auth/login.handler";
import type { TRefreshInput } from "../../auth/refresh.schema";
import type { TAdminLoginInput } from "./admin-auth.schema";

export function publicAdmin(a: Pick<AdminAccount, "id" | "email" | "name">) {
  return { id: a.id, email: a.email, name: a.name };
}

/** tenancy's admins.authenticate checks the password (and audits the login); the api adds rate limits and the session. */
export async function adminLoginHandler({ ctx, input }: { ctx: Context; input: TAdminLoginInput }) {
  const attempt = await beginLoginAttempt(ctx, "admin", input.email);
  const admin = await ctx.services.tenancy.admins.authenticate(input.email, input.password, {
    ip: ctx.ip,
  });
  if (!admin) {
    await attempt.failed();
    throw refuse("UNAUTHORIZED", "INVALID_CREDENTIALS", INVALID_CREDENTIALS_MESSAGE);
  }
  await attempt.succeeded();
  // With a second factor the password alone opens nothing: a challenge for the code step.
  if (admin.twoFactorEnabled) {
    const { twoFactor, admins } = ctx.services.tenancy;
    const { challenge, expiresAt } = await twoFactor.issueChallenge(
      admins.secondFactorAccount(admin),
      admin.id,
    );
    return { status: "secondFactor" as const, challenge, challengeExpiresAt: expiresAt };
  }
  const tokens = await issueAdminSession(ctx, admin);
  return { status: "ok" as const, ...deliverTokens(ctx, tokens), admin: publicAdmin(admin) };
}

export async function adminRefreshHandler({ ctx, input }: { ctx: Context; input: TRefreshInput }) {
  const token = presentedRefreshToken(ctx, input.refreshToken);
  if (!token || !/^[a-f0-9]{24}\.[A-Za-z0-9_-]{43}$/.test(token)) {
    clearTokens(ctx);
    throw refuse("UNAUTHORIZED", "REFRESH_INVALID", "Invalid or expired refresh token");
  }
  try {
    const { tokens, admin } = await rotateAdminRefresh(ctx, token, !input.refreshToken);
    return {
      ...deliverTokens(ctx, tokens),
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
      admin: publicAdmin(admin),
    };
  } catch (err) {
    clearTokens(ctx);
    throw err;
  }
}

export async function adminLogoutHandler({ ctx, input }: { ctx: Context; input: TRefreshInput }) {
  clearTokens(ctx);
  const claims = ctx.credentials.token
    ? await ctx.services.tokens.verifyAdmin(ctx.credentials.token).catch(() => null)
    : null;
  let familyId = claims?.sid ?? null;
  const refresh = presentedRefreshToken(ctx, input.refreshToken);
  if (!familyId && refresh) {
    familyId =
      (await ctx.services.tenancy.admins.sessions.byHash(hashToken(refresh)))?.familyId ?? null;
  }
  if (familyId) await revokeAdminFamily(ctx, familyId);
  return { ok: true as const, revoked: Boolean(familyId) };
}

export async function adminMeHandler({ ctx }: { ctx: AdminContext }) {
  return {
    admin: publicAdmin(ctx.admin),
    /** `mustEnrol`: no second factor yet, so nothing but enrolment is open. */
    twoFactor: { enabled: ctx.admin.twoFactorEnabled, mustEnrol: adminMustEnrol(ctx, ctx.admin) },
  };
}
