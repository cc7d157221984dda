import { refuse } from "../../api-errors";
import { passwordWeakness } from "@tenantry/tenancy/policies";
import { routingIdOf } from "../../auth/refresh-tokens";
import { deliverTokens, issueTenantSession } from "../../auth/tenant-sessions";
import type { Context } from "../../context";
import type { UserDoc } from "../../tenancy-port";
import { consumeInvite } from "../members/invites";
import { publicTenant, publicUser } from "./login.handler";
import type { TAcceptInviteInput } from "./accept-invite.schema";

export async function acceptInviteHandler({
  ctx,
  input,
}: {
  ctx: Context;
  input: TAcceptInviteInput;
}) {
  const tenantId = routingIdOf(input.token);
  const invalid = () =>
    refuse("BAD_REQUEST", "INVITE_INVALID", "This invite link is invalid, used or expired");
  if (!tenantId) throw invalid();
  const run = ctx.services.tenancy.withTenant(tenantId, async (scope) => {
    const invite = await consumeInvite(scope, input.token, async (invite) => {
      const user = await scope.models.User.findById(invite.userId).lean<UserDoc>();
      if (!user || user.status !== "invited") return false;
      const weakness = passwordWeakness(input.password, user.email);
      if (weakness) throw refuse("BAD_REQUEST", "WEAK_PASSWORD", weakness);
      return true;
    });
    if (!invite) throw invalid();
    const user = await scope.models.User.findOneAndUpdate(
      { _id: invite.userId, status: "invited" },
      {
        $set: {
          passwordHash: await ctx.services.passwords.hash(input.password),
          status: "active",
          passwordChangedAt: new Date(),
          ...(input.name ? { name: input.name } : {}),
        },
      },
      { returnDocument: "after" },
    ).lean<UserDoc>();
    ctx.services.authChecks.invalidate(scope.tenant.id);
    if (!user) throw invalid();
    await scope.models.Audit.create({
      at: new Date(),
      actorId: user._id.toString(),
      actorEmail: user.email,
      action: "members.acceptInvite",
      target: user._id.toString(),
      details: {},
    });
    const tokens = await issueTenantSession(ctx, scope, user);
    return {
      status: "ok" as const,
      ...deliverTokens(ctx, tokens),
      user: publicUser(user),
      tenant: publicTenant(scope),
    };
  });
  return run.catch((err: unknown) => {
    if ((err as { code?: unknown }).code === "TENANT_NOT_FOUND") throw invalid();
    throw err;
  });
}
