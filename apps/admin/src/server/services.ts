import "server-only";
import { createAppServices } from "./api";
import type { AppServices } from "./api";

// One tenancy (connection pools, registry cache) and one set of api services per server process;
// kept on globalThis so dev-mode module reloads do not open new pools.
const holder = globalThis as unknown as { __tenantryAdmin?: Promise<AppServices> };

export function getServices(): Promise<AppServices> {
  holder.__tenantryAdmin ??= createAppServices().catch((err: unknown) => {
    holder.__tenantryAdmin = undefined; // let the next request retry (e.g. database still starting)
    throw err;
  });
  return holder.__tenantryAdmin;
}
