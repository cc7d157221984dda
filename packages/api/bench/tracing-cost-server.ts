// Child process of tracing-cost.ts, bundled by esbuild in two variants (tracing hooks compiled
// out / present but off). Serves the standalone api against the bench's database and prints
// its URL as one JSON line, and its CPU time when asked over IPC. Argv: mongo URI, control database name, JWT secret, encryption key.
import "../src/observation/register-tracing";

import { createTenancy } from "@tenantry/tenancy";
import pino from "pino";

import { APP_MODULES } from "../src/app-modules";
import { createStandaloneServer } from "../src/server/http-server";
import { createApiServices } from "../src/services";

const [uri = "", controlDbName = "", secret = "", encryptionKey = ""] = process.argv.slice(2);
const tenancy = await createTenancy({
  modules: APP_MODULES,
  controlUri: uri,
  controlDbName,
  encryptionKey,
  // Cheap but real argon2id: logins are set-up here, not what is measured.
  passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
  // The load is far past a free plan's rate: with admission on, most calls would be 429s, and
  // what is measured here is the tracing hooks, the same in both variants.
  admission: { enabled: false },
});
const services = await createApiServices({
  tenancy,
  jwt: { secret, issuer: "tenantry-bench", audience: "tenantry-api" },
  cookies: { secure: false },
  firstAdmin: { email: "root@bench.test", password: "Sup3r-Admin-Passw0rd!" },
  // The bench signs its admin in by password alone; it measures tracing, not sign-in.
  adminTwoFactor: "optional",
  logger: pino({ level: "silent" }),
});
await services.ensureFirstAdmin();
const server = createStandaloneServer({ services });
const { url } = await server.listen(0);
process.stdout.write(`${JSON.stringify({ url })}\n`);
// The bench asks for this process's CPU time around each run (µs; /proc's ticks are too coarse).
process.on("message", () => process.send?.(process.cpuUsage()));
process.on("SIGTERM", () => {
  void server
    .close()
    .then(() => tenancy.shutdown({ timeoutMs: 1000 }))
    .finally(() => process.exit(0));
});
