// The security headers both Next apps send on every response. Two parts:
// - `securityHeaders`: the set next.config.ts bakes into the build's routes manifest (fixed at
//   `next build` time: build production images with the real WEB_URL and without
//   INSECURE_COOKIES). Its CSP allows no inline script at all: it covers API answers, static
//   files and redirects, which run none.
// - `contentSecurityPolicy` with a nonce: the policy of a rendered page, made per request by the
//   app's proxy.ts. Next reads the nonce from the request's CSP header and puts it on every
//   script it renders, so pages need no 'unsafe-inline' either.
// Imported by next.config.ts and proxy.ts, so it stays free of React and Node-only APIs.
export type SecurityHeader = { key: string; value: string };

export interface PolicyOptions {
  /** The CSP form-action sources after 'self' (the admin app posts to the web app). */
  formAction?: string;
  /** This request's nonce (pages only). */
  nonce?: string;
}

export function contentSecurityPolicy(
  env: Record<string, string | undefined>,
  opts: PolicyOptions = {},
): string {
  const production = env.NODE_ENV === "production";
  // A page runs the scripts Next rendered with its nonce, and what those load ('strict-dynamic');
  // dev's React refresh also needs eval. Never 'unsafe-inline'.
  const scripts = opts.nonce ? `'self' 'nonce-${opts.nonce}' 'strict-dynamic'` : "'self'";
  return [
    "default-src 'self'",
    `script-src ${scripts}${production ? "" : " 'unsafe-eval'"}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    `form-action 'self'${opts.formAction ? ` ${opts.formAction}` : ""}`,
  ].join("; ");
}

/** A fresh nonce for one page response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function securityHeaders(
  env: Record<string, string | undefined>,
  opts: Pick<PolicyOptions, "formAction"> = {},
): SecurityHeader[] {
  const headers: SecurityHeader[] = [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(env, opts) },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    {
      key: "Permissions-Policy",
      value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    },
  ];
  // Over plain local http (INSECURE_COOKIES=true) a browser must not be pinned to https.
  if (env.NODE_ENV === "production" && env.INSECURE_COOKIES !== "true") {
    headers.push({
      key: "Strict-Transport-Security",
      value: "max-age=63072000; includeSubDomains",
    });
  }
  return headers;
}

/**
 * For a page request in proxy.ts: a copy of the request headers carrying a fresh nonce policy
 * (Next takes the nonce from the request's CSP header while rendering) and that policy, which
 * the response must carry too.
 */
export function withPagePolicy(
  requestHeaders: Headers,
  env: Record<string, string | undefined>,
  opts: Pick<PolicyOptions, "formAction"> = {},
): { requestHeaders: Headers; policy: string } {
  const policy = contentSecurityPolicy(env, { ...opts, nonce: newNonce() });
  const copy = new Headers(requestHeaders);
  copy.set("content-security-policy", policy);
  return { requestHeaders: copy, policy };
}
