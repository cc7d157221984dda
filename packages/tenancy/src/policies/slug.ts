// The one slug rule: tenant slugs appear in hostnames and URL paths, so they are short, lower
// case, and never a name the platform's own routes use.
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;

export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "admin",
  "api",
  "app",
  "www",
  "static",
  "assets",
  "login",
  "logout",
  "signup",
  "trpc",
  "health",
  "default",
]);

export const SLUG_FORMAT_MESSAGE =
  "3-40 lowercase letters, digits or dashes, not starting or ending with a dash";

/** Null when `slug` (already trimmed and lower-cased) is a valid tenant slug, else what is wrong. */
export function slugProblem(slug: string): string | null {
  if (!SLUG_PATTERN.test(slug)) return SLUG_FORMAT_MESSAGE;
  if (RESERVED_SLUGS.has(slug)) return "this slug is reserved";
  return null;
}
