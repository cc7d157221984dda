import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  // Workspace packages ship TypeScript source.
  transpilePackages: ["@tenantry/api", "@tenantry/tenancy", "@tenantry/ui"],
  // Native addon and the driver stay as plain Node requires on the server.
  serverExternalPackages: ["argon2", "mongoose", "mongodb", "pino"],
  poweredByHeader: false,
};

export default config;
