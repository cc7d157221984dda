// The security headers both Next apps send on every response. Next bakes `headers()` into the
// build's routes manifest, so these are fixed at `next build` time: build production images with
// the real WEB_URL and without INSECURE_COOKIES. Imported by next.config.ts, so it stays free of
// React and of anything Next's config loader cannot run.
export type SecurityHeader = { key: string; value: string };

/** `formAction`: the CSP form-action sources after 'self' (the admin app posts to the web app). */
export function securityHeaders(
  env: Record<string, string | undefined>,
  opts: { formAction?: string } = {},
): SecurityHeader[] {
  const production = env.NODE_ENV === "production";
  const csp = [
    "default-src 'self'",
    // Next's App Router bootstraps with inline scripts; dev's React refresh also needs eval.
    `script-src 'self' 'unsafe-inline'${production ? "" : " 'unsafe-eval'"}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    `form-action 'self'${opts.formAction ? ` ${opts.formAction}` : ""}`,
  ].join("; ");
  const headers: SecurityHeader[] = [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    {
      key: "Permissions-Policy",
      value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    },
  ];
  // Over plain local http (INSECURE_COOKIES=true) a browser must not be pinned to https.
  if (production && env.INSECURE_COOKIES !== "true") {
    headers.push({
      key: "Strict-Transport-Security",
      value: "max-age=63072000; includeSubDomains",
    });
  }
  return headers;
}
