// A real API server for the client's tests: embedded-mongo over TCP, tenancy, the standalone
// HTTP server on an ephemeral port.
import { randomBytes } from "node:crypto";

import { APP_MODULES, createApiServices, createStandaloneServer } from "@tenantry/api";
import type { ApiServicesConfig } from "@tenantry/api";
import { createTenancy } from "@tenantry/tenancy";
import type { Tenancy } from "@tenantry/tenancy";
import { TEST_HASHING, startTestDatabase, uniqueName } from "@tenantry/test-kit";
import pino from "pino";

import { createTenantryClient } from "../src/index";

export const ADMIN = { email: "root@tenantry.test", password: "Sup3r-Admin-Passw0rd!" };
export const PASSWORD = "Correct-Horse-42-Battery!";

export interface TestApi {
  url: string;
  tenancy: Tenancy;
  stop(): Promise<void>;
}

export async function startTestApi(overrides: Partial<ApiServicesConfig> = {}): Promise<TestApi> {
  const mongo = await startTestDatabase();
  const tenancy = await createTenancy({
    modules: APP_MODULES,
    controlUri: mongo.uri,
    controlDbName: uniqueName("ctl"),
    encryptionKey: randomBytes(32).toString("base64"),
    passwordHashing: TEST_HASHING,
    registryRefreshMs: 100,
  });
  const services = await createApiServices({
    tenancy,
    jwt: {
      secret: randomBytes(32).toString("hex"),
      issuer: "tenantry-test",
      audience: "tenantry-api",
    },
    cookies: { secure: false },
    firstAdmin: ADMIN,
    // The admin client's tests sign in by password alone (two-factor is the api suite's subject).
    adminTwoFactor: "optional",
    logger: pino({ level: "silent" }),
    ...overrides,
  });
  await services.ensureFirstAdmin();
  const server = createStandaloneServer({ services });
  const { url } = await server.listen(0);
  return {
    url,
    tenancy,
    async stop() {
      await server.close();
      await tenancy.shutdown({ timeoutMs: 1000 });
      await mongo.stop();
    },
  };
}

export async function provisionTenant(
  api: TestApi,
  slug: string,
  ownerEmail = `owner@${slug}.test`,
) {
  return api.tenancy.lifecycle.provision({
    slug,
    name: `Tenant ${slug}`,
    owner: { email: ownerEmail, name: `Owner of ${slug}`, password: PASSWORD },
  });
}

/** A key of the tenant, created by its owner through the API (the secret is shown this once). */
export async function ownerMadeKey(
  api: TestApi,
  slug: string,
  scopes = ["notes:read", "notes:write"],
  name = "notes-cli",
): Promise<string> {
  const owner = createTenantryClient({ url: api.url });
  await owner.login({ email: `owner@${slug}.test`, password: PASSWORD });
  const { secret } = await owner.keys.create.mutate({ name, scopes });
  return secret;
}
