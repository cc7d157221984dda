// The API server as packages/api/src/server/main.ts builds it (tenancy -> services -> standalone
// server), plus the tenancy knobs main.ts does not expose yet, from RELIABILITY_TENANCY (JSON):
// e.g. a short provisioning lease, so a restart after kill -9 can take over a half-made tenant
// inside a test's time budget. Everything else is the production path.
import {
  APP_MODULES,
  applyHeapGrowthPolicy,
  createApiServices,
  createStandaloneServer,
} from "@tenantry/api";
import type { TenancyConfig } from "@tenantry/tenancy";
import { createTenancy } from "@tenantry/tenancy";
import pino from "pino";

const env = process.env;
const required = (name: string): string => {
  const v = env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

applyHeapGrowthPolicy(); // as main.ts does with its default
const logger = pino({ level: env.LOG_LEVEL ?? "info", base: { service: "tenantry-api" } });
const overrides = JSON.parse(env.RELIABILITY_TENANCY ?? "{}") as Partial<TenancyConfig>;
// Crash test: the process SIGKILLs itself right after this provisioning step is durable, exactly
// as `kill -9` from outside would at that moment (no handlers run, nothing is flushed).
const crashAfter = env.RELIABILITY_CRASH_AFTER_STEP;
const hooks: TenancyConfig["hooks"] = crashAfter
  ? {
      afterProvisionStep: (step) => {
        if (step === crashAfter) process.kill(process.pid, "SIGKILL");
      },
    }
  : {};
const tenancy = await createTenancy({
  modules: APP_MODULES,
  hooks,
  controlUri: required("MONGODB_URI"),
  controlDbName: required("CONTROL_DB_NAME"),
  encryptionKey: required("ENCRYPTION_KEY"),
  logger: logger.child({ component: "tenancy" }),
  ...overrides,
});
const services = await createApiServices({
  tenancy,
  jwt: { secret: required("JWT_SECRET"), issuer: "tenantry", audience: "tenantry-api" },
  cookies: { secure: false },
  // As main.ts reads ADMIN_TWO_FACTOR (tenant-fixtures' apiEnv sets "optional").
  adminTwoFactor: env.ADMIN_TWO_FACTOR === "optional" ? "optional" : "required",
  logger,
});
const server = createStandaloneServer({ services });
const { url } = await server.listen(Number(env.PORT ?? 0), "127.0.0.1");
logger.info({ url }, "tenantry api listening");
const stop = () => {
  void server
    .close()
    .then(() => tenancy.shutdown({ timeoutMs: 2000 }))
    .finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
