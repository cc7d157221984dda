#!/usr/bin/env node
// `next start` for the two apps, with one difference: unless TRUST_PROXY=true, X-Forwarded-For is
// set to the socket's address before Next sees the request. `next start` itself keeps a header
// the client sent (it fills it from the socket only when absent), and route handlers get no
// socket address, so without this a client talking to the app directly could pick the "IP" that
// the login limits key on. Behind the deploy proxy (TRUST_PROXY=true) the proxy's header is kept.
//
//   tenantry-next-serve --hostname 127.0.0.1 --port 3000     (run in the app's folder)
import { createServer } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    hostname: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "3000" },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`tenantry-next-serve: --port must be a port number, got "${values.port}"`);
  process.exit(2);
}
// The values the apps' env `flag` rule (src/env-fragments.ts) accepts; this plain-JS launcher can't
// import it, and the app would refuse anything else at start, so refuse it here first, clearly.
// eslint-disable-next-line no-restricted-properties -- a launcher outside any app's env module
const trustProxyRaw = process.env.TRUST_PROXY ?? "false";
if (!["true", "false", "1", "0"].includes(trustProxyRaw)) {
  console.error(
    `tenantry-next-serve: TRUST_PROXY must be "true" or "false" (got "${trustProxyRaw}")`,
  );
  process.exit(1);
}
const trustProxy = trustProxyRaw === "true" || trustProxyRaw === "1";

// The app's own `next` (the one its build was made with), not one resolved from this package.
const next = createRequire(path.join(process.cwd(), "package.json"))("next");
const app = next({ dev: false, dir: process.cwd(), hostname: values.hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  if (!trustProxy) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  void handle(req, res);
});
server.listen(port, values.hostname, () => {
  const bound = /** @type {import("node:net").AddressInfo} */ (server.address());
  console.log(`tenantry-next-serve: ready on http://${values.hostname}:${bound.port}`);
});

/**
 * The app's services live on globalThis (next-kit's servicesHolder, `__tenantry_<surface>_services`)
 * in this same process. Ending their tenancy writes what only this process holds: the API calls it
 * counted since the last usage flush, and its share of the per-tenant request rates.
 */
async function shutdownAppServices() {
  const held = Object.entries(globalThis).filter(([key]) => /^__tenantry_\w+_services$/.test(key));
  await Promise.all(
    held.map(async ([, services]) => {
      try {
        await (await services)?.tenancy?.shutdown({ timeoutMs: 3_000 });
      } catch (err) {
        console.error(`tenantry-next-serve: shutdown: ${err instanceof Error ? err.message : err}`);
      }
    }),
  );
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close(() => void shutdownAppServices().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
