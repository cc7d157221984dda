// Where a `next=` parameter may send a browser after sign-in or a session refresh: a path on the
// app's own origin, nothing else. Shared by both apps (login pages and refresh routes).

/** The URL parser resolves `next` against this origin; anything that leaves it is refused. */
const OWN_ORIGIN = "http://app.tenantry.invalid";

/**
 * C0/C1 controls and DEL: browsers strip tabs and newlines from URLs (so "/\t/evil.example"
 * becomes "//evil.example"); backslashes read as slashes.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * The same-origin path (with query and hash, normalised by the URL parser) that `raw` names, or
 * `fallback` when it is missing, absolute, protocol-relative, or holds control characters or
 * backslashes.
 */
export function safeNext<F extends string | null = string>(
  raw: string | string[] | null | undefined,
  fallback: F = "/" as F,
): string | F {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v || FORBIDDEN.test(v) || !v.startsWith("/") || v.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(v, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Whether `url` carries a next= that `safeNext` refuses. */
export function hasRefusedNext(url: URL): boolean {
  const raw = url.searchParams.get("next");
  return raw !== null && safeNext(raw, null) === null;
}
