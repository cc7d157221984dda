// ensureCollection on the embedded server: a schema's indexes arrive in one createIndexes command
// (a tenant's provisioning sends one per collection, not one per index), a schema without indexes
// still gets its collection, mongoose's own index spellings still work, and running it again on a
// set-up collection changes nothing.
import mongoose, { Schema } from "mongoose";
import type { Connection, Model } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, uniqueName } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { ensureCollection } from "./collection-setup";

let server: TestServer;
let conn: Connection;
const commands: string[] = [];

beforeAll(async () => {
  server = await startServer();
  conn = await mongoose
    .createConnection(server.uri, { dbName: uniqueName("setup"), monitorCommands: true })
    .asPromise();
  conn.getClient().on("commandStarted", (e) => commands.push(e.commandName));
});

afterAll(async () => {
  await conn?.close();
  await server?.stop();
});

const noLazyWork = { autoIndex: false, autoCreate: false } as const;

async function indexesOf(model: Model<never>) {
  const list = await model.collection.listIndexes().toArray();
  return Object.fromEntries(list.map((i) => [i.name, i]));
}

describe("ensureCollection", () => {
  it("creates the collection and every index of its schema in one command", async () => {
    const schema = new Schema(
      { email: String, role: String, expiresAt: Date },
      { collection: "people", ...noLazyWork },
    );
    schema.index({ email: 1 }, { unique: true });
    schema.index({ role: 1, email: 1 });
    schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    const People = conn.model("People", schema) as unknown as Model<never>;

    commands.length = 0;
    await ensureCollection(People);
    expect(commands.filter((c) => c === "createIndexes")).toHaveLength(1);
    expect(commands).not.toContain("create");

    const indexes = await indexesOf(People);
    expect(Object.keys(indexes).sort()).toEqual(
      ["_id_", "email_1", "expiresAt_1", "role_1_email_1"].sort(),
    );
    expect(indexes.email_1?.unique).toBe(true);
    expect(indexes.expiresAt_1?.expireAfterSeconds).toBe(0);

    // A unique index is enforced: the second identical email is refused.
    await People.collection.insertOne({ email: "a@x.test" });
    await expect(People.collection.insertOne({ email: "a@x.test" })).rejects.toThrow(
      /duplicate key/,
    );

    // Again on the set-up collection: nothing changes, nothing fails.
    await ensureCollection(People);
    expect(Object.keys(await indexesOf(People))).toHaveLength(4);
  });

  it("creates a collection whose schema has no indexes", async () => {
    const Plain = conn.model(
      "Plain",
      new Schema({ text: String }, { collection: "plain", ...noLazyWork }),
    ) as unknown as Model<never>;
    await ensureCollection(Plain);
    await ensureCollection(Plain);
    const listed = await Plain.db.listCollections();
    const names = listed.map((c) => c.name).filter((n) => n === "plain");
    expect(names).toEqual(["plain"]);
  });

  it("leaves mongoose's own spellings (expires) to mongoose, with the same result", async () => {
    const schema = new Schema({ at: Date }, { collection: "expiring", ...noLazyWork });
    schema.index({ at: 1 }, { expires: "1h" });
    const Expiring = conn.model("Expiring", schema) as unknown as Model<never>;
    await ensureCollection(Expiring);
    expect((await indexesOf(Expiring)).at_1?.expireAfterSeconds).toBe(3600);
  });
});
