// Session cookies for browsers. httpOnly keeps tokens away from page scripts; SameSite=Lax stops
// them riding cross-site POSTs; Secure in production. Names are part of the api contract.
export const COOKIE_NAMES = {
  app: { access: "tenantry_at", refresh: "tenantry_rt" },
  admin: { access: "tenantry_admin_at", refresh: "tenantry_admin_rt" },
} as const;

export type Surface = keyof typeof COOKIE_NAMES;

export interface CookieConfig {
  secure: boolean;
  /** Optional Domain attribute (e.g. ".example.com" when tenants use sub-domains). */
  domain?: string;
}

export function serializeCookie(
  name: string,
  value: string,
  opts: CookieConfig & { maxAgeSeconds: number; path?: string },
): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${opts.path ?? "/"}`,
    `Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (opts.secure) parts.push("Secure");
  if (opts.domain) parts.push(`Domain=${opts.domain}`);
  return parts.join("; ");
}

export function parseCookies(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out.set(name, decodeURIComponent(raw));
    } catch {
      out.set(name, raw);
    }
  }
  return out;
}
