// Shared integration-test setup: a real embedded-mongo server over TCP (or TEST_MONGODB_URI
// when set), a unique control database per test file, and cheap-but-real argon2id params.
import { randomBytes } from "node:crypto";

import { TEST_HASHING, startTestDatabase, uniqueName } from "@tenantry/test-kit";
import type { TestDatabase } from "@tenantry/test-kit";
import { MongoClient } from "mongodb";

import type { TenancyConfig } from "../src/config";
import type { TenancyOptions } from "../src/tenancy";

import { TEST_MODULES } from "./fixture-module";

const TEST_KEY = randomBytes(32).toString("base64");

export type TestServer = TestDatabase;

/** The embedded server, or TEST_MONGODB_URI when set. */
export const startServer = (): Promise<TestServer> => startTestDatabase();

export { uniqueName };

/** Tenancy's test config, with the fixture module registered (so scope.models has Note). */
export function testConfig(
  uri: string,
  overrides: Partial<TenancyConfig> = {},
): TenancyOptions<typeof TEST_MODULES> {
  return {
    modules: TEST_MODULES,
    controlUri: uri,
    controlDbName: overrides.controlDbName ?? uniqueName("ctl"),
    encryptionKey: TEST_KEY,
    passwordHashing: TEST_HASHING,
    registryRefreshMs: 100,
    ...overrides,
  };
}

export async function listDatabaseNames(uri: string): Promise<string[]> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2000 });
  try {
    const res = await client.db("admin").admin().listDatabases({ nameOnly: true });
    return res.databases.map((d) => d.name);
  } finally {
    await client.close();
  }
}

export function owner(n: number | string) {
  return { email: `owner${n}@example.com`, name: `Owner ${n}`, password: "correct horse battery" };
}
