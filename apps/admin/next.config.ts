import type { NextConfig } from "next";

type Header = { key: string; value: string };

/**
 * Security headers for every response. Next bakes `headers()` into the build's routes manifest,
 * so these are fixed at `next build` time: build production images with the real WEB_URL and
 * without INSECURE_COOKIES.
 */
export function securityHeaders(env: Record<string, string | undefined>): Header[] {
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
    `form-action ${formAction(env)}`,
  ].join("; ");
  const headers: Header[] = [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  ];
  // Over plain local http (INSECURE_COOKIES=true) a browser must not be pinned to https.
  if (production && env.INSECURE_COOKIES !== "true") {
    headers.push({ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" });
  }
  return headers;
}

/**
 * The impersonation hand-off is a form POST to the web app's origin. A build without WEB_URL is a
 * local one (dev, e2e on ephemeral ports), so it allows loopback origins instead.
 */
function formAction(env: Record<string, string | undefined>): string {
  const web = env.WEB_URL ? new URL(env.WEB_URL).origin : "http://127.0.0.1:* http://localhost:*";
  return `'self' ${web}`;
}

const config: NextConfig = {
  reactStrictMode: true,
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@tenantry/api", "@tenantry/tenancy", "@tenantry/ui"],
  // Native addon and the driver stay as plain Node requires on the server.
  serverExternalPackages: ["argon2", "mongoose", "mongodb", "pino"],
  poweredByHeader: false,
  headers: async () => [{ source: "/:path*", headers: securityHeaders(process.env) }],
};

export default config;
