// API keys on the two roots. A bearer credential starting `tnk_` (tenant key) or `tnp_` (platform
// key) is a key, never a JWT: the key string names its tenant and record, so no other header is
// needed. Order per call: parse -> tenant (suspension refused by withTenant like for tokens) ->
// key check (cached per key-check-cache.ts) -> per-key and per-tenant rate limit -> scope.
import type { ServiceAccount, TenantRecord } from "@tenantry/tenancy";
import { TenantNotFound, parseApiKey, serviceAccountUser } from "@tenantry/tenancy";

import { refuse } from "../api-errors";
import type { Context } from "../context";
import type { TenantScope } from "../tenancy-port";
import type { TenantClaims } from "./access-tokens";
import { PLATFORM_SCOPE } from "./key-check-cache";

const accessOf = (type: string) => (type === "query" ? "read" : "write");

/** Counts the call against the key's and tenant's limits (a refusal's Retry-After: error-mapping). */
function rateLimited(ctx: Context, account: ServiceAccount, tenantId: string | null) {
  return ctx.services.keyRateLimits.consume(account.keyId, tenantId);
}

/** A key's account from the cache, or checked in its database (and then cached). */
async function checkedAccount(
  ctx: Context,
  token: string,
  tenant: TenantRecord | null,
  check: () => Promise<ServiceAccount>,
): Promise<ServiceAccount> {
  const cache = ctx.services.keyChecks;
  const cached = cache.get(token, tenant);
  if (cached) return cached;
  const generation = cache.generation(tenant?.id ?? PLATFORM_SCOPE);
  const account = await check();
  cache.set(token, tenant, account, generation);
  return account;
}

export interface KeyPrincipal {
  claims: TenantClaims;
  tenant: TenantScope;
  user: ReturnType<typeof serviceAccountUser>;
  impersonatedBy: null;
  serviceAccount: ServiceAccount;
}

/** Runs `next` as the tenant key's service account, inside its tenant's scope. */
export async function withKeyPrincipal<R>(
  ctx: Context,
  token: string,
  call: { type: string; path: string },
  next: (principal: KeyPrincipal, scope: TenantScope) => Promise<R>,
  /** The call writes tenant data (refused while the tenant is read-only over its storage). */
  write = false,
): Promise<R> {
  const key = parseApiKey(token);
  if (key.kind !== "tenant")
    throw refuse("UNAUTHORIZED", "KEY_UNKNOWN", "A platform key works only on the admin API");
  ctx.state.tenantId = key.tenantId;
  const { tenancy } = ctx.services;
  await tenancy.registry.get(key.tenantId).catch((err: unknown) => {
    throw err instanceof TenantNotFound
      ? refuse("UNAUTHORIZED", "KEY_UNKNOWN", "No such API key (or a wrong secret)")
      : err;
  });
  if (ctx.namedTenantSlug) {
    const named = await tenancy.registry.getBySlug(ctx.namedTenantSlug).catch(() => null);
    if (named?.id !== key.tenantId)
      throw refuse("FORBIDDEN", "TENANT_MISMATCH", "This key belongs to another organisation");
  }
  return tenancy.withTenant(
    key.tenantId,
    async (scope: TenantScope) => {
      const account = await checkedAccount(ctx, token, scope.tenant, () =>
        tenancy.apiKeys.authenticate(scope, key, ctx.ip),
      );
      await rateLimited(ctx, account, key.tenantId);
      const area = call.path.split(".")[0] ?? "";
      tenancy.apiKeys.requireScope(account, area, accessOf(call.type), call.path);
      const user = serviceAccountUser(account, scope.tenant.createdAt);
      const claims: TenantClaims = {
        kind: "tenant",
        sub: account.keyId,
        tid: key.tenantId,
        role: "admin",
        sid: `key:${account.keyId}`,
        exp: 0,
      };
      return next(
        { claims, tenant: scope, user, impersonatedBy: null, serviceAccount: account },
        scope,
      );
    },
    { write },
  );
}

/** Admin areas no key may call: signing in and out, and minting tenant tokens (impersonation). */
const PERSON_ONLY_ADMIN_AREAS = new Set(["auth", "impersonate"]);

/** The platform key's account, checked, rate limited and scoped for this admin call. */
export async function verifiedPlatformKey(
  ctx: Context,
  token: string,
  call: { type: string; path: string },
): Promise<ServiceAccount> {
  const key = parseApiKey(token);
  if (key.kind !== "platform")
    throw refuse("UNAUTHORIZED", "KEY_UNKNOWN", "A tenant key works only on the tenant API");
  const { platformKeys } = ctx.services.tenancy;
  const account = await checkedAccount(ctx, token, null, () =>
    platformKeys.authenticate(key, ctx.ip),
  );
  await rateLimited(ctx, account, null);
  if (PERSON_ONLY_ADMIN_AREAS.has(call.path.split(".")[0] ?? ""))
    throw refuse("FORBIDDEN", "SCOPE_MISSING", `Platform keys can't call ${call.path}`);
  platformKeys.requireScope(account, accessOf(call.type), call.path);
  return account;
}
