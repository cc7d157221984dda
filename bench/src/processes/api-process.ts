// The Tenantry API under test, in its own process: real tenancy, real services and the real
// standalone HTTP server (the same code `pnpm --filter @tenantry/api serve` runs), with the cache
// and pool sizes the scenario asks for, which the server's env module does not expose. Request
// logging is off, as it is for the bare handler and the recipe. The heap policy is the server's
// default (API_HEAP_GROWTH_PERCENT); BENCH_HEAP_GROWTH_PERCENT=0 measures V8's own policy instead.
import {
  applyHeapGrowthPolicy,
  createApiServices,
  createStandaloneServer,
  DEFAULT_HEAP_GROWTH_PERCENT,
} from "@tenantry/api";
import { createTenancy } from "@tenantry/tenancy";
import pino from "pino";

const env = process.env;
const required = (name: string): string => {
  const v = env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

applyHeapGrowthPolicy(Number(env.BENCH_HEAP_GROWTH_PERCENT ?? DEFAULT_HEAP_GROWTH_PERCENT));
const tenancy = await createTenancy({
  controlUri: required("BENCH_MONGO_URI"),
  controlDbName: required("BENCH_CONTROL_DB"),
  encryptionKey: required("BENCH_ENCRYPTION_KEY"),
  cache: { maxHandles: Number(env.BENCH_MAX_HANDLES ?? 500) },
  maxPoolSize: Number(env.BENCH_MAX_POOL_SIZE ?? 32),
  passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
  recoverOnStart: false,
});
const services = await createApiServices({
  tenancy,
  jwt: { secret: required("BENCH_JWT_SECRET"), issuer: "tenantry-bench", audience: "tenantry-api" },
  cookies: { secure: false },
  metricsToken: required("BENCH_METRICS_TOKEN"),
  logger: pino({ level: "silent" }),
});
const server = createStandaloneServer({ services, admin: false });
const { url } = await server.listen(0);
process.stdout.write(`READY ${JSON.stringify({ url })}\n`);
process.once("SIGTERM", () => {
  void server
    .close()
    .then(() => tenancy.shutdown({ timeoutMs: 1000 }))
    .finally(() => process.exit(0));
});
