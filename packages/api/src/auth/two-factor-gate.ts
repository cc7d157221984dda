// The second-factor gates. A member of an organisation that requires two-factor sign-in, without
// a second factor yet, may only enrol (and see who they are, sign out): every other tenant call
// is refused 403 TWO_FACTOR_REQUIRED. A super admin without one is held the same way on the admin
// API unless the deployment made it optional (services `adminTwoFactor`). The rules themselves
// (what counts as enrolled, what the setting says) are tenancy's.
import { refuse } from "../api-errors";
import type { Context } from "../context";
import type { AdminAccount, TenantScope, UserDoc } from "../tenancy-port";
import { hasTwoFactor, orgRequiresTwoFactor, tenantSchemas } from "../tenancy-port";

const SETTINGS = tenantSchemas.Setting.get("collection") as string;

const TWO_FACTOR_REQUIRED_MESSAGE =
  "Set up two-factor sign-in first: this organisation requires it.";

/** The organisation's requireTwoFactor, read at most once per auth-check TTL per instance. */
async function orgRequires(ctx: Context, scope: TenantScope): Promise<boolean> {
  const cache = ctx.services.orgTwoFactor;
  const hit = cache.get(scope.tenant.id);
  if (hit && hit.until > Date.now()) return hit.required;
  const db = scope.conn.db;
  if (!db) throw new Error(`tenant ${scope.tenant.id} has no database handle`);
  const setting = await db
    .collection<{ _id: string; requireTwoFactor?: boolean }>(SETTINGS)
    .findOne({ _id: "tenant" }, { projection: { requireTwoFactor: 1 } });
  const required = orgRequiresTwoFactor(setting);
  const ttl = ctx.services.authChecks.ttlMs;
  if (ttl > 0) cache.set(scope.tenant.id, { required, until: Date.now() + ttl });
  return required;
}

/** Forget the cached setting of one tenant (its admins just changed it on this instance). */
export const forgetOrgTwoFactor = (ctx: Context, tenantId: string) =>
  ctx.services.orgTwoFactor.delete(tenantId);

/** Whether this member must enrol before anything else (their org requires it; they have none). */
export async function mustEnrolTwoFactor(
  ctx: Context,
  scope: TenantScope,
  user: UserDoc,
): Promise<boolean> {
  return !hasTwoFactor(user) && (await orgRequires(ctx, scope));
}

export async function assertTenantSecondFactor(
  ctx: Context,
  scope: TenantScope,
  user: UserDoc,
): Promise<void> {
  if (await mustEnrolTwoFactor(ctx, scope, user))
    throw refuse("FORBIDDEN", "TWO_FACTOR_REQUIRED", TWO_FACTOR_REQUIRED_MESSAGE);
}

/** Whether this admin must enrol before any privileged action. */
export const adminMustEnrol = (ctx: Context, admin: AdminAccount): boolean =>
  ctx.services.config.adminTwoFactor !== "optional" && !admin.twoFactorEnabled;

export function assertAdminSecondFactor(ctx: Context, admin: AdminAccount): void {
  if (adminMustEnrol(ctx, admin))
    throw refuse(
      "FORBIDDEN",
      "TWO_FACTOR_REQUIRED",
      "Set up two-factor sign-in first: super admins need it before any other action.",
    );
}
