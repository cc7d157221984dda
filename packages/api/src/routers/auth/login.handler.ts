// Sign-in. The directory (control DB) says where the email is a member; the password is checked
// in that tenant's own database. Unknown email and wrong password take the same path to the same
// answer: both spend one argon2 verification and record one failure.
import { refuse } from "../../api-errors";
import type { IssuedTokens } from "../../auth/tenant-sessions";
import { deliverTokens, issueTenantSession } from "../../auth/tenant-sessions";
import { RateLimited } from "../../auth/login-rate-limit";
import type { Context } from "../../context";
import type { Membership, TenantScope, UserDoc } from "../../tenancy-port";
import type { TLoginInput } from "./login.schema";

export const INVALID_CREDENTIALS_MESSAGE = "Email or password is incorrect";

export async function enforceLoginRateLimit(
  ctx: Context,
  scope: "tenant" | "admin",
  email: string,
): Promise<void> {
  try {
    await ctx.services.rateLimiter.check(scope, email, ctx.ip);
  } catch (err) {
    if (!(err instanceof RateLimited)) throw err;
    ctx.resHeaders.set("retry-after", String(err.retryAfterSeconds));
    throw refuse("TOO_MANY_REQUESTS", "RATE_LIMITED", err.message, {
      retryAfterSeconds: err.retryAfterSeconds,
    });
  }
}

/** Verifies the password inside the tenant; burns a dummy verification when there is no usable user. */
async function checkPassword(
  ctx: Context,
  scope: TenantScope,
  email: string,
  password: string,
): Promise<UserDoc | null> {
  const user = await scope.models.User.findOne({ email }).lean<UserDoc>();
  const usable = user && user.status === "active" && user.passwordHash;
  const ok = usable
    ? await ctx.services.passwords.verify(user.passwordHash as string, password)
    : await ctx.services.passwords.burn(password);
  return ok && user ? user : null;
}

export function publicUser(user: UserDoc) {
  return { id: user._id.toString(), email: user.email, name: user.name, role: user.role };
}

export function publicTenant(scope: TenantScope) {
  return { id: scope.tenant.id, slug: scope.tenant.slug, name: scope.tenant.name };
}

export async function signInToTenant(
  ctx: Context,
  membership: Membership,
  email: string,
  password: string,
): Promise<{ tokens: IssuedTokens; user: UserDoc; scope: TenantScope } | null> {
  return ctx.services.tenancy.withTenant(membership.tenantId, async (scope) => {
    const user = await checkPassword(ctx, scope, email, password);
    if (!user) return null;
    const tokens = await issueTenantSession(ctx, scope, user);
    await scope.models.User.updateOne({ _id: user._id }, { $set: { lastLoginAt: new Date() } });
    await scope.models.Audit.create({
      at: new Date(),
      actorId: user._id.toString(),
      actorEmail: user.email,
      action: "auth.login",
      target: user._id.toString(),
      details: { ip: ctx.ip },
    });
    return { tokens, user, scope };
  });
}

export async function loginHandler({ ctx, input }: { ctx: Context; input: TLoginInput }) {
  const { email, password } = input;
  await enforceLoginRateLimit(ctx, "tenant", email);
  const memberships = await ctx.services.tenancy.directory.findByEmail(email);
  const candidates = input.tenantSlug
    ? memberships.filter((m) => m.tenantSlug === input.tenantSlug)
    : memberships;

  const fail = async () => {
    await ctx.services.rateLimiter.record("tenant", email, ctx.ip, false);
    return refuse("UNAUTHORIZED", "INVALID_CREDENTIALS", INVALID_CREDENTIALS_MESSAGE);
  };

  if (candidates.length === 0) {
    await ctx.services.passwords.burn(password);
    throw await fail();
  }

  if (candidates.length > 1) {
    // Offer the picker only to someone who knows a password of this email, and never say which
    // tenants it matched: the list is every membership.
    const matches = await Promise.all(
      candidates.map((m) =>
        ctx.services.tenancy
          .withTenant(m.tenantId, (scope) => checkPassword(ctx, scope, email, password))
          .catch(() => null),
      ),
    );
    if (!matches.some(Boolean)) throw await fail();
    return {
      status: "chooseTenant" as const,
      tenants: candidates.map((m) => ({ slug: m.tenantSlug, name: m.tenantName })),
    };
  }

  const membership = candidates[0] as Membership;
  const signedIn = await signInToTenant(ctx, membership, email, password);
  if (!signedIn) throw await fail();
  await ctx.services.rateLimiter.record("tenant", email, ctx.ip, true);
  return {
    status: "ok" as const,
    ...deliverTokens(ctx, signedIn.tokens),
    user: publicUser(signedIn.user),
    tenant: publicTenant(signedIn.scope),
  };
}
