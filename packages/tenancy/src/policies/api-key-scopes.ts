// What an API key may do, as scopes: read or write per registered tenant module, plus
// `members:admin` and `keys:admin`; platform keys (super-admin automation) read or write the admin
// API. Dependency-free so the web form, the CLI and the api guard share this one rule.

/** Tenant keys start with this; the rest names the tenant and the key (see api-key-secrets.ts). */
export const TENANT_KEY_PREFIX = "tnk_";
/** Platform keys (control database, admin API) start with this. */
export const PLATFORM_KEY_PREFIX = "tnp_";

export const API_KEY_NAME_MAX_LENGTH = 80;

/** Scopes that are not a module's: managing members and managing keys. */
export const ADMIN_KEY_SCOPES = ["members:admin", "keys:admin"] as const;
export const PLATFORM_KEY_SCOPES = ["platform:read", "platform:write"] as const;
export type PlatformKeyScope = (typeof PLATFORM_KEY_SCOPES)[number];

/** Every scope a tenant key can hold, for the given registered module names. */
export function tenantKeyScopes(moduleNames: readonly string[]): string[] {
  return [...moduleNames.flatMap((m) => [`${m}:read`, `${m}:write`]), ...ADMIN_KEY_SCOPES];
}

/**
 * The scope a key needs to call `area` (a module's name or a core area such as "members") for
 * reading or writing; null when no key may call it at all (sign-in, passwords, sessions, ...).
 * Reading members is as sensitive as changing them (emails, roles), so both need members:admin.
 */
export function scopeForCall(
  area: string,
  access: "read" | "write",
  moduleNames: readonly string[],
): string | null {
  if (moduleNames.includes(area)) return `${area}:${access}`;
  if (area === "members") return "members:admin";
  if (area === "keys") return "keys:admin";
  return null;
}

/** Why these scopes can't be granted, or null when they can. */
export function scopesProblem(
  scopes: readonly string[],
  allowed: readonly string[],
): string | null {
  if (scopes.length === 0) return "Choose at least one scope";
  const unknown = scopes.filter((s) => !allowed.includes(s));
  if (unknown.length)
    return `Unknown scope${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; choose from ${allowed.join(", ")}`;
  return null;
}
