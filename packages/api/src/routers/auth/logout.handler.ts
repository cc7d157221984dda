// Logout revokes the session family (every refresh token of this sign-in, and through the
// session check in tenantProcedure every access token of it) and clears the cookies.
import { routingIdOf, hashToken } from "../../auth/refresh-tokens";
import { clearTokens, presentedRefreshToken, revokeFamily } from "../../auth/tenant-sessions";
import type { Context } from "../../context";
import type { TRefreshInput } from "./refresh.schema";

export async function logoutHandler({ ctx, input }: { ctx: Context; input: TRefreshInput }) {
  clearTokens(ctx);
  const { tenancy, tokens } = ctx.services;
  const claims = ctx.credentials.token
    ? await tokens.verifyTenant(ctx.credentials.token).catch(() => null)
    : null;
  const refresh = presentedRefreshToken(ctx, input.refreshToken);
  const tenantId = claims?.tid ?? (refresh ? routingIdOf(refresh) : null);
  if (!tenantId) return { ok: true as const, revoked: false };
  try {
    const revoked = await tenancy.withTenant(tenantId, async (scope) => {
      let familyId = claims?.sid ?? null;
      if (!familyId && refresh) {
        familyId =
          (await scope.models.Session.findOne({ tokenHash: hashToken(refresh) }).lean())
            ?.familyId ?? null;
      }
      if (!familyId) return false;
      await revokeFamily(ctx, scope, familyId, "logout");
      return true;
    });
    return { ok: true as const, revoked };
  } catch (err) {
    // A suspended tenant's sessions are already revoked by the suspension; signing out still succeeds.
    ctx.log.warn({ err: (err as Error).message }, "logout could not reach the tenant");
    return { ok: true as const, revoked: false };
  }
}
