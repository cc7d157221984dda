// Shared integration-test setup: a real embedded-mongo server over TCP (or TEST_MONGODB_URI
// when set), a unique control database per test file, and cheap-but-real argon2id params.
import { randomBytes } from "node:crypto";

import type * as Embedded from "@tenantry/embedded-mongo";
import { MongoClient } from "mongodb";

import type { TenancyConfig } from "../src/config";
import type { TenancyOptions } from "../src/tenancy";

import { TEST_MODULES } from "./fixture-module";

const TEST_KEY = randomBytes(32).toString("base64");

/** argon2id with small memory and one pass: same algorithm and format, test-suite speed. */
const TEST_HASHING = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface TestServer {
  uri: string;
  stop(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const external = process.env.TEST_MONGODB_URI;
  if (external) return { uri: external, stop: async () => undefined };
  // EMBEDDED_MONGO_ENTRY pins a snapshot of the server (e.g. a committed version) while its
  // working tree is mid-edit; normally the workspace package is used.
  const entry = process.env.EMBEDDED_MONGO_ENTRY;
  const mod = (
    entry ? await import(entry) : await import("@tenantry/embedded-mongo")
  ) as typeof Embedded;
  const server = await mod.startEmbeddedMongo({ port: 0 });
  return { uri: server.uri, stop: () => server.stop() };
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}

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
