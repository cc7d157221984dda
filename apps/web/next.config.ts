import type { NextConfig } from "next";

import { securityHeaders as sharedSecurityHeaders } from "@tenantry/ui/security-headers";

/** The shared security headers (see packages/ui); the web app posts forms to itself only. */
export function securityHeaders(env: Record<string, string | undefined>) {
  return sharedSecurityHeaders(env);
}

const config: NextConfig = {
  reactStrictMode: true,
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@tenantry/api", "@tenantry/next-kit", "@tenantry/tenancy", "@tenantry/ui"],
  // Native addon and the driver stay as plain Node requires on the server.
  serverExternalPackages: [
    "argon2",
    "mongoose",
    "mongodb",
    "pino",
    "agenda",
    "@agendajs/mongo-backend",
  ],
  poweredByHeader: false,
  headers: async () => [{ source: "/:path*", headers: securityHeaders(process.env) }],
};

export default config;
