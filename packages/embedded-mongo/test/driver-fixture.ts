import { MongoClient, MongoServerError, type Collection, type Db } from "mongodb";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { freshDbName, serverUnderTest, type ServerUnderTest } from "./server-under-test.js";

export interface DriverFixture {
  client: MongoClient;
  db: Db;
  /** A collection of its own for each test. */
  c: Collection;
}

/** A server (or TEST_MONGODB_URI), a client and a fresh database for a test file. */
export function driverFixture(prefix: string): DriverFixture {
  const fx = {} as DriverFixture;
  let server: ServerUnderTest;
  beforeAll(async () => {
    server = await serverUnderTest();
    fx.client = await new MongoClient(server.uri).connect();
    fx.db = fx.client.db(freshDbName(prefix));
  });
  beforeEach(() => {
    fx.c = fx.db.collection(`x_${Math.random().toString(36).slice(2)}`);
  });
  afterAll(async () => {
    await fx.db.dropDatabase();
    await fx.client.close();
    await server.stop();
  });
  return fx;
}

/** The server's error code for a failed operation, undefined if it succeeded. */
export async function codeOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof MongoServerError ? (err.code as number) : -1;
  }
}
