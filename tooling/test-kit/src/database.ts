// The database a test suite runs against: a fresh embedded server on an ephemeral port, or the
// MongoDB named by TEST_MONGODB_URI (shared, so suites isolate by database name: uniqueName).
import { randomBytes } from "node:crypto";

import { startEmbeddedMongo } from "@tenantry/embedded-mongo";
import type { EmbeddedMongoOptions } from "@tenantry/embedded-mongo";

import { testMongoUri } from "./env";

export interface TestDatabase {
  uri: string;
  /** The (first) server's port. */
  port: number;
  /** True when TEST_MONGODB_URI points the suite at a server it did not start. */
  external: boolean;
  /** Stops the embedded server; leaves an external one running. */
  stop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * Always start an embedded server, even with TEST_MONGODB_URI set: for tests that must stop
   * or restart the server (outages) or that need a second, separate one.
   */
  embedded?: boolean;
  /** Options for the embedded server (port 0 unless given). */
  server?: EmbeddedMongoOptions;
}

export async function startTestDatabase(opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const external = opts.embedded ? undefined : testMongoUri();
  if (external)
    return {
      uri: external,
      port: firstPort(external),
      external: true,
      stop: async () => undefined,
    };
  const server = await startEmbeddedMongo({ port: 0, ...opts.server });
  return { uri: server.uri, port: server.port, external: false, stop: () => server.stop() };
}

function firstPort(uri: string): number {
  const host = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^,/?]+)/.exec(uri)?.[1] ?? "";
  return Number(/:(\d+)$/.exec(host)?.[1] ?? 27017);
}

/** A name no other test file (or an earlier run against a shared server) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}

/** argon2id with little memory and one pass: the real algorithm and format at test-suite speed. */
export const TEST_HASHING = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;
