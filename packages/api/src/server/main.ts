// `pnpm --filter @tenantry/api serve`: the standalone API server. Configuration comes from the
// validated env module; without MONGODB_URI (outside production) an embedded server is started.
import {
  clusterUriPolicyFromEnv,
  createTenancy,
  installShutdownHandlers,
  mailerFromEnv,
} from "@tenantry/tenancy";
import { admissionFromEnv, jobsFromEnv, webhooksFromEnv } from "@tenantry/tenancy/env";
import { apiKeyRateLimitFrom, cookieSecure } from "../env-fragments";
import { createLogger } from "../logger";
import { APP_MODULES } from "../app-modules";
import { createApiServices } from "../services";
import { loadServerEnv } from "./env";
import { applyHeapGrowthPolicy } from "./heap-policy";
import { createStandaloneServer } from "./http-server";

async function main() {
  const env = loadServerEnv();
  applyHeapGrowthPolicy(env.API_HEAP_GROWTH_PERCENT);
  const logger = createLogger({
    service: "tenantry-api",
    level: env.LOG_LEVEL,
    nodeEnv: env.NODE_ENV,
    format: env.LOG_FORMAT,
  });
  let uri = env.MONGODB_URI;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!uri) {
    if (env.NODE_ENV === "production") throw new Error("MONGODB_URI is required in production");
    const { startEmbeddedMongo } = await import("@tenantry/embedded-mongo");
    const embedded = await startEmbeddedMongo({ port: 0, dbPath: env.EMBEDDED_MONGO_DBPATH });
    uri = embedded.uri;
    stopEmbedded = () => embedded.stop();
    logger.info(
      { uri, dbPath: env.EMBEDDED_MONGO_DBPATH },
      "started embedded MongoDB-compatible server",
    );
  }
  const tenancy = await createTenancy({
    modules: APP_MODULES,
    controlUri: uri,
    controlDbName: env.CONTROL_DB_NAME,
    encryptionKey: env.ENCRYPTION_KEY,
    cache: { maxHandles: env.TENANT_CACHE_MAX, idleTtlMs: env.TENANT_CACHE_TTL_MS },
    admission: admissionFromEnv(env),
    clusterUriPolicy: clusterUriPolicyFromEnv(env),
    mailer: mailerFromEnv(env, logger),
    logger: logger.child({ component: "tenancy" }),
    usage: { flushSeconds: env.USAGE_FLUSH_SECONDS },
    heartbeatMs: env.INSTANCE_HEARTBEAT_MS,
    webhooks: webhooksFromEnv(env),
    jobs: jobsFromEnv(env),
  });
  const services = await createApiServices({
    tenancy,
    jwt: { secret: env.JWT_SECRET, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE },
    cookies: { secure: cookieSecure(env) },
    publicAppUrl: env.PUBLIC_APP_URL ?? env.WEB_URL,
    adminAppUrl: env.ADMIN_URL,
    ...(env.TENANT_HOST_SUFFIX ? { tenantHostSuffix: env.TENANT_HOST_SUFFIX } : {}),
    trustProxy: env.TRUST_PROXY,
    authCheckCacheMs: env.AUTH_CHECK_CACHE_MS,
    adminTwoFactor: env.ADMIN_TWO_FACTOR,
    apiKeyRateLimit: apiKeyRateLimitFrom(env),
    ...(env.METRICS_TOKEN ? { metricsToken: env.METRICS_TOKEN } : {}),
    ...(env.ADMIN_EMAIL && env.ADMIN_PASSWORD
      ? { firstAdmin: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } }
      : {}),
    // Background jobs start with the server; tenancy.shutdown stops them (see below).
    runJobs: env.JOBS_ENABLED,
    logger,
  });
  const firstAdmin = await services.ensureFirstAdmin();
  if (firstAdmin === "not-configured") {
    logger.warn(
      "no super admin exists and ADMIN_EMAIL / ADMIN_PASSWORD are not set: the admin API has no users",
    );
  }
  const server = createStandaloneServer({ services, admin: env.ADMIN_API_ENABLED });
  const { url } = await server.listen(env.PORT, env.HOST);
  logger.info({ url, admin: env.ADMIN_API_ENABLED }, "tenantry api listening");
  // Webhook relay and deliveries run while the server does; tenancy.shutdown stops them.
  tenancy.webhooks.worker.start();
  installShutdownHandlers(
    {
      shutdown: async (opts) => {
        await tenancy.shutdown(opts);
        await stopEmbedded?.();
      },
    },
    {
      beforeShutdown: () => server.close(),
      onError: (err) => logger.error({ err }, "shutdown failed"),
    },
  );
}

main().catch((err: unknown) => {
  // Configuration errors are for humans: print the message, not a stack.
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
