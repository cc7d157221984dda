import { refuse } from "../../api-errors";
import { routingIdOf } from "../../auth/refresh-tokens";
import {
  clearTokens,
  deliverTokens,
  presentedRefreshToken,
  rotateTenantRefresh,
} from "../../auth/tenant-sessions";
import type { Context } from "../../context";
import { publicTenant, publicUser } from "./login.handler";
import type { TRefreshInput } from "./refresh.schema";

export async function refreshHandler({ ctx, input }: { ctx: Context; input: TRefreshInput }) {
  const token = presentedRefreshToken(ctx, input.refreshToken);
  const tenantId = token ? routingIdOf(token) : null;
  if (!token || !tenantId) {
    clearTokens(ctx);
    throw refuse("UNAUTHORIZED", "REFRESH_INVALID", "Invalid or expired refresh token");
  }
  try {
    return await ctx.services.tenancy.withTenant(tenantId, async (scope) => {
      const { tokens, user } = await rotateTenantRefresh(ctx, scope, token, !input.refreshToken);
      return {
        ...deliverTokens(ctx, tokens),
        refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
        user: publicUser(user),
        tenant: publicTenant(scope),
      };
    });
  } catch (err) {
    clearTokens(ctx);
    // A token naming a tenant that does not exist is just an invalid token.
    if ((err as { code?: unknown }).code === "TENANT_NOT_FOUND") {
      throw refuse("UNAUTHORIZED", "REFRESH_INVALID", "Invalid or expired refresh token");
    }
    throw err;
  }
}
