import "server-only";
// The one file that knows how @tenantry/api and @tenantry/tenancy are assembled for this app.
import path from "node:path";
import { APP_MODULES, createApiServices } from "@tenantry/api";
import type { ApiServices } from "@tenantry/api";
import { createLogger } from "@tenantry/api/logger";
import { servicesHolder } from "@tenantry/next-kit/server";
import { clusterUriPolicyFromEnv, createTenancy, mailerFromEnv } from "@tenantry/tenancy";
import { jobsFromEnv, webhooksFromEnv } from "@tenantry/tenancy/env";
import { cookieSecure, getEnv } from "~/env";

async function createAppServices(): Promise<ApiServices> {
  const env = getEnv();
  const logger = createLogger({
    service: "tenantry-admin",
    level: env.LOG_LEVEL,
    nodeEnv: env.NODE_ENV,
    format: env.LOG_FORMAT,
  });
  const tenancy = await createTenancy({
    modules: APP_MODULES,
    controlUri: env.MONGODB_URI,
    controlDbName: env.CONTROL_DB_NAME,
    encryptionKey: env.ENCRYPTION_KEY,
    clusterUriPolicy: clusterUriPolicyFromEnv(env),
    mailer: mailerFromEnv(env, logger),
    logger: logger.child({ component: "tenancy" }),
    usage: { flushSeconds: env.USAGE_FLUSH_SECONDS },
    heartbeatMs: env.INSTANCE_HEARTBEAT_MS,
    webhooks: webhooksFromEnv(env),
    jobs: jobsFromEnv(env),
  });
  // This server process serves the API, so it also relays and sends webhooks (the claim on each
  // delivery keeps the web and admin processes from sending one twice); shutdown stops it.
  tenancy.webhooks.worker.start();
  const services = await createApiServices({
    tenancy,
    jwt: { secret: env.JWT_SECRET, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE },
    cookies: { secure: cookieSecure(env) },
    // Login limits per client IP: see "Client IP" in packages/api/README.md.
    trustProxy: env.TRUST_PROXY,
    publicAppUrl: env.WEB_URL,
    adminAppUrl: env.ADMIN_URL,
    allowedOrigins: [new URL(env.ADMIN_URL).origin],
    firstAdmin: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
    adminTwoFactor: env.ADMIN_TWO_FACTOR,
    exportDir: path.resolve(env.EXPORT_DIR),
    exportTtlMs: env.EXPORT_TTL_SECONDS * 1000,
    // The admin app queues migrateAll; it runs jobs too, so a stack without the api server runs them.
    runJobs: env.JOBS_ENABLED,
    logger,
  });
  // No default credentials: the first super admin comes from ADMIN_EMAIL / ADMIN_PASSWORD.
  await services.ensureFirstAdmin();
  return services;
}

export const getServices = servicesHolder("admin", createAppServices);
