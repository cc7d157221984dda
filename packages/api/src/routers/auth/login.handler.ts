// Sign-in. The directory (control DB) says where the email is a member; the password is checked
// in that tenant's own database. Unknown email, wrong password and a user of a suspended or
// deleted tenant all take the same path to the same answer: one argon2 verification, one counted
// failure, the same 401. The tenant's status (and its suspension reason) is told only to someone
// who gave the right password.
import { refuse } from "../../api-errors";
import type { LoginAttempt, RateLimitScope } from "../../tenancy-port";
import { RateLimited } from "../../tenancy-port";
import type { IssuedTokens } from "../../auth/tenant-sessions";
import { deliverTokens, issueTenantSession } from "../../auth/tenant-sessions";
import type { Context } from "../../context";
import type { Membership, TenantScope, UserDoc } from "../../tenancy-port";
import { assertActive, hasTwoFactor } from "../../tenancy-port";
import type { TLoginInput } from "./login.schema";

export const INVALID_CREDENTIALS_MESSAGE = "Email or password is incorrect";

/** Counts the attempt before any password is verified; refuses with 429 when over a limit. */
export async function beginLoginAttempt(
  ctx: Context,
  scope: RateLimitScope,
  email: string,
): Promise<LoginAttempt> {
  try {
    return await ctx.services.rateLimiter.begin(scope, email, ctx.ip);
  } catch (err) {
    if (!(err instanceof RateLimited)) throw err;
    // Retry-After is set from retryAfterSeconds by middleware/error-mapping.ts.
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

/** The password check of one membership, whatever the tenant's status (never purged ones). */
function passwordMatches(ctx: Context, tenantId: string, email: string, password: string) {
  return ctx.services.tenancy.withTenant(
    tenantId,
    (scope) => checkPassword(ctx, scope, email, password),
    { allowInactive: true },
  );
}

export function publicUser(user: UserDoc) {
  return { id: user._id.toString(), email: user.email, name: user.name, role: user.role };
}

export function publicTenant(scope: TenantScope) {
  return { id: scope.tenant.id, slug: scope.tenant.slug, name: scope.tenant.name };
}

/** Issues the session of a sign-in that has passed every step, and records it. */
export async function finishTenantSignIn(
  ctx: Context,
  scope: TenantScope,
  user: UserDoc,
  secondFactor: "totp" | "recovery" | null = null,
): Promise<IssuedTokens> {
  const tokens = await issueTenantSession(ctx, scope, user);
  await scope.models.User.updateOne({ _id: user._id }, { $set: { lastLoginAt: new Date() } });
  await scope.models.Audit.create({
    at: new Date(),
    actorId: user._id.toString(),
    actorEmail: user.email,
    action: "auth.login",
    target: user._id.toString(),
    details: { ip: ctx.ip, ...(secondFactor ? { secondFactor } : {}) },
  });
  return tokens;
}

type PasswordStep =
  | { tokens: IssuedTokens; user: UserDoc; scope: TenantScope }
  | { challenge: string; expiresAt: Date };

async function passwordStep(
  ctx: Context,
  membership: Membership,
  email: string,
  password: string,
): Promise<PasswordStep | null> {
  // One lease that admits inactive tenants, so a suspended tenant's wrong password costs a full
  // verification; its status is checked only once the password is known to be right.
  return ctx.services.tenancy.withTenant(
    membership.tenantId,
    async (scope) => {
      const user = await checkPassword(ctx, scope, email, password);
      if (!user) return null;
      assertActive(scope.tenant);
      // With a second factor the password alone opens nothing: a challenge for the code step.
      if (hasTwoFactor(user)) {
        const { twoFactor } = ctx.services.tenancy;
        return twoFactor.issueChallenge(
          twoFactor.userAccount(scope, user),
          `${scope.tenant.id}.${user._id.toHexString()}`,
        );
      }
      return { tokens: await finishTenantSignIn(ctx, scope, user), user, scope };
    },
    { allowInactive: true },
  );
}

const isInactiveTenant = (err: unknown) => {
  const code = (err as { code?: unknown }).code;
  return code === "TENANT_SUSPENDED" || code === "TENANT_DELETED";
};

const invalidCredentials = () =>
  refuse("UNAUTHORIZED", "INVALID_CREDENTIALS", INVALID_CREDENTIALS_MESSAGE);

export async function loginHandler({ ctx, input }: { ctx: Context; input: TLoginInput }) {
  const { email, password } = input;
  const attempt = await beginLoginAttempt(ctx, "tenant", email);
  const memberships = await ctx.services.tenancy.directory.findByEmail(email);
  const candidates = input.tenantSlug
    ? memberships.filter((m) => m.tenantSlug === input.tenantSlug)
    : memberships;

  if (candidates.length === 0) {
    await ctx.services.passwords.burn(password);
    await attempt.failed();
    throw invalidCredentials();
  }

  if (candidates.length > 1) {
    // Offer the picker only to someone who knows a password of this email, and never say which
    // tenants it matched: the list is every membership.
    const matches = await Promise.all(
      candidates.map((m) => passwordMatches(ctx, m.tenantId, email, password).catch(() => null)),
    );
    if (!matches.some(Boolean)) {
      await attempt.failed();
      throw invalidCredentials();
    }
    await attempt.succeeded();
    return {
      status: "chooseTenant" as const,
      tenants: candidates.map((m) => ({ slug: m.tenantSlug, name: m.tenantName })),
    };
  }

  const membership = candidates[0] as Membership;
  const signedIn = await passwordStep(ctx, membership, email, password).catch(
    async (err: unknown) => {
      // The right password for an inactive tenant is not a failed guess. Any other error means
      // the password was never judged: the attempt stays pending and soon stops counting.
      if (isInactiveTenant(err)) await attempt.succeeded();
      throw err;
    },
  );
  if (!signedIn) {
    await attempt.failed();
    throw invalidCredentials();
  }
  await attempt.succeeded();
  if ("challenge" in signedIn) {
    return {
      status: "secondFactor" as const,
      challenge: signedIn.challenge,
      challengeExpiresAt: signedIn.expiresAt,
    };
  }
  return {
    status: "ok" as const,
    ...deliverTokens(ctx, signedIn.tokens),
    user: publicUser(signedIn.user),
    tenant: publicTenant(signedIn.scope),
  };
}
