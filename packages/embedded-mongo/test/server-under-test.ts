// Not @tenantry/test-kit's starter: the kit depends on this package, so its tests keep their own.
import { randomBytes } from "node:crypto";
import { startEmbeddedMongo, type EmbeddedMongoOptions } from "../src/index.js";

export interface ServerUnderTest {
  uri: string;
  /** True when TEST_MONGODB_URI points the suite at a real MongoDB. */
  external: boolean;
  stop(): Promise<void>;
}

/** The embedded server, or the real MongoDB named by TEST_MONGODB_URI. */
export async function serverUnderTest(opts: EmbeddedMongoOptions = {}): Promise<ServerUnderTest> {
  const external = process.env.TEST_MONGODB_URI;
  if (external) return { uri: external, external: true, stop: async () => {} };
  const server = await startEmbeddedMongo({ port: 0, ...opts });
  return { uri: server.uri, external: false, stop: () => server.stop() };
}

/** A database name no other test (or earlier run against a real server) uses. */
export function freshDbName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}
