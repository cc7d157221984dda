// Shared models over mongoose's subclassing, on the embedded server through the real driver: each
// handle's models read and write only its own database, keep the schema's validation and hooks,
// a schema with discriminators is compiled per connection, and the parent's list of subclasses
// stays as small as the pool however many handles come and go.
import { MongoClient } from "mongodb";
import mongoose, { Schema } from "mongoose";
import type { Connection } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig, uniqueName } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { forgetModels, modelOn, subclassCount } from "./model-sharing";
import { createTenancy } from "./tenancy";
import { tenantSchemas } from "./tenant-models";

let server: TestServer;
let base: Connection;
let client: MongoClient;

beforeAll(async () => {
  server = await startServer();
  base = await mongoose.createConnection(server.uri).asPromise();
  client = new MongoClient(server.uri);
});
afterAll(async () => {
  await base?.close();
  await client?.close();
  await server?.stop();
});

describe("models shared across tenant connections", () => {
  it("writes each connection's documents to its own database, with the schema's rules", async () => {
    const hooked: string[] = [];
    const schema = new Schema({ title: { type: String, required: true } }, { collection: "items" });
    schema.pre("save", function () {
      hooked.push(String(this.get("title")));
    });
    const [a, b] = [uniqueName("share-a"), uniqueName("share-b")];
    const A = modelOn<{ title: string }>(base.useDb(a), "Item", schema);
    const B = modelOn<{ title: string }>(base.useDb(b), "Item", schema);
    expect(Object.getPrototypeOf(B)).toBe(A); // B is the cheap subclass, A the compiled one
    await A.create({ title: "only in a" });
    await B.create({ title: "only in b" });
    expect(hooked).toEqual(["only in a", "only in b"]);
    await expect(B.create({})).rejects.toThrow(/title.*required/);
    const titles = async (db: string) =>
      (await client.db(db).collection("items").find().toArray()).map((d) => d.title as string);
    expect(await titles(a)).toEqual(["only in a"]);
    expect(await titles(b)).toEqual(["only in b"]);
    expect(await B.find().lean()).toMatchObject([{ title: "only in b" }]);
    expect(await B.countDocuments()).toBe(1);
  });

  it("compiles a schema with discriminators per connection (a subclass's would write elsewhere)", async () => {
    const schema = new Schema(
      { kind: String, at: Date },
      { collection: "events", discriminatorKey: "kind" },
    );
    schema.discriminator("Click", new Schema({ x: Number }));
    const [a, b] = [uniqueName("disc-a"), uniqueName("disc-b")];
    const A = modelOn(base.useDb(a), "Event", schema);
    const B = modelOn(base.useDb(b), "Event", schema);
    expect(Object.getPrototypeOf(B)).not.toBe(A);
    const Click = B.discriminators?.Click;
    expect(Click).toBeDefined();
    await Click?.create({ x: 3 });
    expect(await client.db(b).collection("events").countDocuments({ kind: "Click" })).toBe(1);
    expect(await client.db(a).collection("events").countDocuments()).toBe(0);
  });

  it("forgets a dropped connection's subclasses", () => {
    const schema = new Schema({ n: Number }, { collection: "counts" });
    modelOn(base.useDb(uniqueName("first")), "Count", schema);
    for (let i = 0; i < 50; i++) {
      const conn = base.useDb(uniqueName("churn"));
      modelOn(conn, "Count", schema);
      forgetModels(conn);
    }
    expect(subclassCount(schema, "Count")).toBe(0);
  });
});

describe("tenant handles over shared models", () => {
  it("keeps the subclass list within the pool while handles are evicted and reopened", async () => {
    const tenancy = await createTenancy(testConfig(server.uri, { cache: { maxHandles: 2 } }));
    try {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const t = await tenancy.lifecycle.provision({
          slug: `share-${i}-${Date.now().toString(36)}`,
          name: `Share ${i}`,
          owner: owner(`share-${i}`),
        });
        ids.push(t.id);
      }
      for (let round = 0; round < 5; round++)
        for (const id of ids)
          await tenancy.withTenant(id, async ({ models }) => {
            expect(await models.User.countDocuments()).toBe(1);
          });
      expect(tenancy.stats().evictions).toBeGreaterThan(10);
      // One parent, plus at most one subclass per handle still in the pool.
      expect(subclassCount(tenantSchemas.User, "User")).toBeLessThanOrEqual(2);
    } finally {
      await tenancy.shutdown({ timeoutMs: 1000 });
    }
  });
});
