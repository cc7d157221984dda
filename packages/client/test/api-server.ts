// A real API server for the client's tests: embedded-mongo over TCP, tenancy, the standalone
// HTTP server on an ephemeral port.
import { randomBytes } from "node:crypto";

import { APP_MODULES, createApiServices, createStandaloneServer } from "@tenantry/api";
import type { ApiServicesConfig } from "@tenantry/api";
import type * as Embedded from "@tenantry/embedded-mongo";
import { createTenancy } from "@tenantry/tenancy";
import type { Tenancy } from "@tenantry/tenancy";
import pino from "pino";

export const ADMIN = { email: "root@tenantry.test", password: "Sup3r-Admin-Passw0rd!" };
export const PASSWORD = "Correct-Horse-42-Battery!";

export interface TestApi {
  url: string;
  tenancy: Tenancy;
  stop(): Promise<void>;
}

export async function startTestApi(overrides: Partial<ApiServicesConfig> = {}): Promise<TestApi> {
  // EMBEDDED_MONGO_ENTRY pins a snapshot of the embedded server while its working tree is mid-edit.
  const entry = process.env.EMBEDDED_MONGO_ENTRY;
  const embedded = (
    entry ? await import(entry) : await import("@tenantry/embedded-mongo")
  ) as typeof Embedded;
  const mongo = process.env.TEST_MONGODB_URI
    ? { uri: process.env.TEST_MONGODB_URI, stop: async () => undefined }
    : await embedded.startEmbeddedMongo({ port: 0 });
  const tenancy = await createTenancy({
    modules: APP_MODULES,
    controlUri: mongo.uri,
    controlDbName: `ctl_${randomBytes(4).toString("hex")}`,
    encryptionKey: randomBytes(32).toString("base64"),
    passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
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
