import type { NextConfig } from "next";

import { securityHeaders as sharedSecurityHeaders } from "@tenantry/ui/security-headers";

/** The shared security headers (see packages/ui), plus the web app's origin as a form target. */
export function securityHeaders(env: Record<string, string | undefined>) {
  return sharedSecurityHeaders(env, { formAction: webOrigin(env) });
}

/**
 * The impersonation hand-off is a form POST to the web app's origin. A build without WEB_URL is a
 * local one (dev, e2e on ephemeral ports), so it allows loopback origins instead.
 */
function webOrigin(env: Record<string, string | undefined>): string {
  return env.WEB_URL ? new URL(env.WEB_URL).origin : "http://127.0.0.1:* http://localhost:*";
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
