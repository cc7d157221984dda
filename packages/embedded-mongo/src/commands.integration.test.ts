import { MongoClient, MongoServerError, type Db } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDbName, serverUnderTest, type ServerUnderTest } from "../test/server-under-test.js";

let server: ServerUnderTest;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  server = await serverUnderTest();
  client = await new MongoClient(server.uri).connect();
  db = client.db(freshDbName("cmds"));
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
  await server.stop();
});

function codeOf(err: unknown): number | undefined {
  return err instanceof MongoServerError ? (err.code as number) : undefined;
}

describe("server and diagnostic commands", () => {
  it("presents itself as a writable one-node replica set primary", async () => {
    const hello = await db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(typeof hello.setName).toBe("string");
    expect(hello.hosts.length).toBeGreaterThanOrEqual(1);
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(21);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    const legacy = await db.admin().command({ isMaster: 1 });
    expect(legacy.ismaster).toBe(true);
  });

  it("answers the admin and diagnostic commands", async () => {
    const admin = db.admin();
    expect((await admin.command({ ping: 1 })).ok).toBe(1);
    expect((await admin.command({ buildInfo: 1 })).version).toMatch(/^\d+\.\d+/);
    expect((await admin.command({ hostInfo: 1 })).system).toBeDefined();
    expect(
      (await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 }))
        .featureCompatibilityVersion.version,
    ).toMatch(/^\d+\.\d+$/);
    expect((await admin.command({ getCmdLineOpts: 1 })).argv).toBeInstanceOf(Array);
    expect((await admin.command({ getLog: "global" })).log).toBeInstanceOf(Array);
    expect((await admin.command({ connectionStatus: 1 })).authInfo).toBeDefined();
    expect((await admin.command({ whatsmyuri: 1 })).you).toMatch(/:\d+$/);
    const status = await admin.command({ serverStatus: 1 });
    expect(status.connections.current).toBeGreaterThan(0);
    expect(status.uptime).toBeGreaterThanOrEqual(0);
  });

  it("answers an unknown command with CommandNotFound (59)", async () => {
    const err = await db.command({ frobnicate: 1 }).catch((e: unknown) => e);
    expect(codeOf(err)).toBe(59);
    expect((err as MongoServerError).codeName).toBe("CommandNotFound");
  });
});

describe("databases and collections", () => {
  it("creates, lists, renames and drops collections", async () => {
    await db.createCollection("alpha");
    await db.createCollection("beta");
    expect(codeOf(await db.createCollection("alpha").catch((e: unknown) => e))).toBe(48);
    const names = (await db.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .sort();
    expect(names).toEqual(expect.arrayContaining(["alpha", "beta"]));
    const filtered = await db.listCollections({ name: "beta" }).toArray();
    expect(filtered.map((c) => c.name)).toEqual(["beta"]);
    expect(filtered[0]?.type).toBe("collection");

    await db.collection("beta").insertOne({ x: 1 });
    await db.collection("beta").rename("gamma");
    expect(await db.collection("gamma").countDocuments()).toBe(1);
    expect(await db.collection("beta").countDocuments()).toBe(0);

    expect(await db.collection("alpha").drop()).toBe(true);
    const err = await db.command({ drop: "alpha" }).catch((e: unknown) => e);
    expect(codeOf(err)).toBe(26);
  });

  it("reports statistics and lists and drops databases", async () => {
    const other = client.db(freshDbName("stats"));
    await other.collection("items").insertMany([{ a: 1 }, { a: 2 }, { a: 3 }]);
    const stats = await other.command({ dbStats: 1 });
    expect(stats.objects).toBe(3);
    expect(stats.collections).toBe(1);
    const coll = await other.command({ collStats: "items" });
    expect(coll.count).toBe(3);
    expect(coll.size).toBeGreaterThan(0);
    const [viaStage] = await other
      .collection("items")
      .aggregate([{ $collStats: { storageStats: {}, count: {} } }])
      .toArray();
    expect(viaStage?.storageStats.count).toBe(3);
    expect(viaStage?.storageStats.size).toBeGreaterThan(0);

    const listed = await client.db().admin().listDatabases();
    expect(listed.databases.map((d) => d.name)).toContain(other.databaseName);
    await other.dropDatabase();
    const after = await client.db().admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).not.toContain(other.databaseName);
  });
});

describe("find and cursors", () => {
  it("filters, projects, sorts, skips and limits", async () => {
    const c = db.collection("people");
    await c.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        i,
        name: `p${i}`,
        group: i % 3,
        tags: i % 2 ? ["odd"] : ["even"],
      })),
    );
    const docs = await c
      .find({ group: 1, i: { $gte: 4 } }, { projection: { _id: 0, i: 1, name: 1 } })
      .sort({ i: -1 })
      .skip(1)
      .limit(3)
      .toArray();
    expect(docs).toEqual([
      { i: 25, name: "p25" },
      { i: 22, name: "p22" },
      { i: 19, name: "p19" },
    ]);
    expect(await c.countDocuments({ tags: "odd" })).toBe(15);
    expect(await c.countDocuments({}, { skip: 5, limit: 10 })).toBe(10);
    expect(await c.estimatedDocumentCount()).toBe(30);
    expect((await c.distinct("group")).sort()).toEqual([0, 1, 2]);
    expect(await c.distinct("tags", { i: { $lt: 2 } })).toEqual(
      expect.arrayContaining(["odd", "even"]),
    );
  });

  it("pages with getMore and batchSize, and kills cursors", async () => {
    const c = db.collection("paged");
    await c.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const all = await c.find({}, { batchSize: 7 }).sort({ i: 1 }).toArray();
    expect(all.map((d) => d.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const cursor = c.find({}, { batchSize: 2 });
    await cursor.next();
    await cursor.close();
    const single = await db.command({ find: "paged", batchSize: 5, singleBatch: true });
    expect(single.cursor.firstBatch.length).toBe(5);
    expect(Number(single.cursor.id)).toBe(0);
    const negative = await db.command({ find: "paged", limit: 3 });
    expect(negative.cursor.firstBatch.length).toBe(3);
  });
});

describe("updates", () => {
  it("applies the common update operators", async () => {
    interface OpsDoc {
      n: number;
      m: number;
      lo: number;
      hi: number;
      old?: string;
      renamed?: string;
      arr: number[];
      set: string[];
      gone?: boolean;
      nested: { a: number; b?: number };
      touched?: Date;
    }
    const c = db.collection<OpsDoc>("ops");
    const { insertedId } = await c.insertOne({
      n: 5,
      m: 2,
      lo: 10,
      hi: 1,
      old: "x",
      arr: [1, 2, 3, 2],
      set: ["a"],
      gone: true,
      nested: { a: 1 },
    });
    await c.updateOne(
      { _id: insertedId },
      {
        $set: { "nested.b": 2 },
        $unset: { gone: "" },
        $inc: { n: 3 },
        $mul: { m: 5 },
        $min: { lo: 3 },
        $max: { hi: 9 },
        $rename: { old: "renamed" },
        $addToSet: { set: { $each: ["a", "b"] } },
        $pull: { arr: 2 },
        $currentDate: { touched: true },
      },
    );
    await c.updateOne(
      { _id: insertedId },
      { $push: { arr: { $each: [9, 0], $sort: 1, $slice: 3 } }, $pop: { set: -1 } },
    );
    const doc = await c.findOne({ _id: insertedId });
    expect(doc).toMatchObject({
      n: 8,
      m: 10,
      lo: 3,
      hi: 9,
      renamed: "x",
      set: ["b"],
      arr: [0, 1, 3],
      nested: { a: 1, b: 2 },
    });
    expect(doc?.gone).toBeUndefined();
    expect(doc?.old).toBeUndefined();
    expect(doc?.touched).toBeInstanceOf(Date);
  });

  it("upserts, updates many, uses arrayFilters, replaces and runs pipeline updates", async () => {
    const c = db.collection("upd");
    const up = await c.updateOne(
      { key: "k1" },
      { $set: { v: 1 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(up.upsertedCount).toBe(1);
    expect(await c.findOne({ key: "k1" }, { projection: { _id: 0 } })).toEqual({
      key: "k1",
      v: 1,
      created: true,
    });
    const again = await c.updateOne(
      { key: "k1" },
      { $set: { v: 2 }, $setOnInsert: { created: false } },
      { upsert: true },
    );
    expect(again).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect((await c.findOne({ key: "k1" }))?.created).toBe(true);
    const noop = await c.updateOne({ key: "k1" }, { $set: { v: 2 } });
    expect(noop).toMatchObject({ matchedCount: 1, modifiedCount: 0 });

    await c.insertMany([
      { g: 1, scores: [1, 5, 9] },
      { g: 1, scores: [7] },
      { g: 2, scores: [] },
    ]);
    const many = await c.updateMany({ g: 1 }, { $set: { flagged: true } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    await c.updateMany(
      { g: 1 },
      { $set: { "scores.$[s]": 0 } },
      { arrayFilters: [{ s: { $gte: 5 } }] },
    );
    expect((await c.find({ g: 1 }).toArray()).map((d) => d.scores)).toEqual([[1, 0, 0], [0]]);

    await c.replaceOne({ g: 2 }, { g: 2, replaced: true });
    expect(await c.findOne({ g: 2 }, { projection: { _id: 0 } })).toEqual({ g: 2, replaced: true });

    await c.updateOne({ g: 2 }, [
      { $set: { twice: { $multiply: ["$g", 2] } } },
      { $unset: "replaced" },
    ]);
    expect(await c.findOne({ g: 2 }, { projection: { _id: 0 } })).toEqual({ g: 2, twice: 4 });

    const immutable = await c
      .updateOne({ g: 2 }, { $set: { _id: "other" } })
      .catch((e: unknown) => e);
    expect(codeOf(immutable)).toBe(66);
    const conflict = await c
      .updateOne({ g: 2 }, { $set: { a: 1 }, $inc: { a: 1 } })
      .catch((e: unknown) => e);
    expect(codeOf(conflict)).toBe(40);
    const unknownOp = await db
      .command({ update: "upd", updates: [{ q: {}, u: { $frob: { a: 1 } } }] })
      .catch((e: unknown) => e);
    const writeErrors = (unknownOp as { writeErrors?: { code: number }[] }).writeErrors;
    expect(writeErrors?.[0]?.code ?? codeOf(unknownOp)).toBe(9);
  });

  it("deletes and runs findAndModify with its options", async () => {
    const c = db.collection("fam");
    await c.insertMany([
      { q: 1, v: "a" },
      { q: 1, v: "b" },
      { q: 2, v: "c" },
    ]);
    const before = await c.findOneAndUpdate(
      { q: 1 },
      { $set: { v: "z" } },
      { sort: { v: -1 }, projection: { _id: 0, v: 1 } },
    );
    expect(before).toEqual({ v: "b" });
    const after = await c.findOneAndUpdate(
      { q: 2 },
      { $inc: { n: 1 } },
      { returnDocument: "after" },
    );
    expect(after?.n).toBe(1);
    const upserted = await c.findOneAndUpdate(
      { q: 3 },
      { $set: { v: "new" } },
      { upsert: true, returnDocument: "after" },
    );
    expect(upserted).toMatchObject({ q: 3, v: "new" });
    const removed = await c.findOneAndDelete({ q: 1 }, { sort: { v: 1 } });
    expect(removed?.v).toBe("a");
    const replaced = await c.findOneAndReplace(
      { q: 2 },
      { q: 2, v: "r" },
      { returnDocument: "after" },
    );
    expect(replaced).toMatchObject({ q: 2, v: "r" });
    expect(await c.findOneAndUpdate({ q: 99 }, { $set: { v: 1 } })).toBeNull();
    expect((await c.deleteMany({ q: { $in: [1, 2] } })).deletedCount).toBe(2);
    expect((await c.deleteOne({ q: 3 })).deletedCount).toBe(1);
    expect(await c.countDocuments()).toBe(0);
  });
});

describe("aggregation", () => {
  it("runs the common stages and expressions", async () => {
    const orders = db.collection("orders");
    const customers = db.collection("customers");
    await customers.insertMany([
      { _id: 1 as never, name: "Ann" },
      { _id: 2 as never, name: "Bob" },
    ]);
    await orders.insertMany([
      {
        cust: 1,
        items: [
          { sku: "a", qty: 2, price: 5 },
          { sku: "b", qty: 1, price: 20 },
        ],
        status: "paid",
      },
      { cust: 1, items: [{ sku: "a", qty: 1, price: 5 }], status: "open" },
      { cust: 2, items: [{ sku: "c", qty: 4, price: 1 }], status: "paid" },
    ]);
    const totals = await orders
      .aggregate([
        { $match: { status: "paid" } },
        { $unwind: "$items" },
        { $addFields: { line: { $multiply: ["$items.qty", "$items.price"] } } },
        { $group: { _id: "$cust", total: { $sum: "$line" }, skus: { $addToSet: "$items.sku" } } },
        { $lookup: { from: "customers", localField: "_id", foreignField: "_id", as: "customer" } },
        {
          $set: {
            name: { $first: "$customer.name" },
            big: { $cond: [{ $gt: ["$total", 10] }, true, false] },
          },
        },
        { $project: { _id: 0, name: 1, total: 1, big: 1, nSkus: { $size: "$skus" } } },
        { $sort: { total: -1 } },
      ])
      .toArray();
    expect(totals).toEqual([
      { total: 30, name: "Ann", big: true, nSkus: 2 },
      { total: 4, name: "Bob", big: false, nSkus: 1 },
    ]);
    const [facets] = await orders
      .aggregate([
        {
          $facet: {
            byStatus: [{ $sortByCount: "$status" }],
            count: [{ $count: "n" }],
            page: [
              { $sort: { cust: 1 } },
              { $skip: 1 },
              { $limit: 1 },
              { $replaceRoot: { newRoot: { c: "$cust" } } },
              { $unset: "x" },
            ],
          },
        },
      ])
      .toArray();
    expect(facets?.byStatus).toEqual([
      { _id: "paid", count: 2 },
      { _id: "open", count: 1 },
    ]);
    expect(facets?.count).toEqual([{ n: 3 }]);
    expect(facets?.page).toEqual([{ c: 1 }]);
    const strings = await customers
      .aggregate([
        { $project: { _id: 0, up: { $toUpper: "$name" }, s: { $concat: ["$name", "!"] } } },
        { $sort: { up: 1 } },
      ])
      .toArray();
    expect(strings).toEqual([
      { up: "ANN", s: "Ann!" },
      { up: "BOB", s: "Bob!" },
    ]);
  });
});

describe("indexes", () => {
  it("creates compound, sparse, partial and TTL indexes and lists them as given", async () => {
    const c = db.collection("idx");
    await c.createIndex({ a: 1, b: -1 }, { name: "a_b" });
    await c.createIndex({ s: 1 }, { unique: true, sparse: true });
    await c.createIndex({ p: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    const list = await c.listIndexes().toArray();
    expect(list.map((i) => i.name)).toEqual(["_id_", "a_b", "s_1", "p_1", "at_1"]);
    expect(Object.keys(list[1]?.key as object)).toEqual(["a", "b"]);
    expect(list[2]).toMatchObject({ unique: true, sparse: true });
    expect(list[3]).toMatchObject({ unique: true, partialFilterExpression: { active: true } });
    expect(list[4]).toMatchObject({ expireAfterSeconds: 3600 });

    // Sparse: documents without the field do not collide.
    await c.insertMany([{ x: 1 }, { x: 2 }]);
    await expect(c.insertMany([{ s: "v" }, { s: "v" }])).rejects.toMatchObject({ code: 11000 });
    // Partial: only active documents are unique.
    await c.insertMany([
      { p: 1, active: false },
      { p: 1, active: false },
      { p: 1, active: true },
    ]);
    await expect(c.insertOne({ p: 1, active: true })).rejects.toMatchObject({
      code: 11000,
      keyValue: { p: 1 },
    });

    await c.dropIndex("a_b");
    expect((await c.listIndexes().toArray()).map((i) => i.name)).not.toContain("a_b");
    expect(codeOf(await c.dropIndex("nope").catch((e: unknown) => e))).toBe(27);
    expect(
      codeOf(
        await db
          .collection("missing_coll")
          .listIndexes()
          .toArray()
          .catch((e: unknown) => e),
      ),
    ).toBe(26);
  });

  it("refuses a unique index over duplicate data and a compound duplicate", async () => {
    const c = db.collection("idx2");
    await c.insertMany([{ e: "x" }, { e: "x" }]);
    expect(codeOf(await c.createIndex({ e: 1 }, { unique: true }).catch((e: unknown) => e))).toBe(
      11000,
    );
    // Documents without t and u would index as {t: null, u: null} and collide, as in MongoDB.
    const compound = db.collection("idx3");
    await compound.createIndex({ t: 1, u: 1 }, { unique: true });
    await compound.insertOne({ t: 1, u: 1 });
    await compound.insertOne({ t: 1, u: 2 });
    const err = await compound.insertOne({ t: 1, u: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 11000,
      keyPattern: { t: 1, u: 1 },
      keyValue: { t: 1, u: 1 },
    });
  });

  it("answers equality and range queries on an indexed field without scanning the collection", async () => {
    const c = db.collection("big");
    await c.insertMany(Array.from({ length: 5000 }, (_, i) => ({ k: i, other: i })));
    await c.createIndex({ k: 1 });
    const scanned = async () =>
      (await db.admin().command({ serverStatus: 1 })).metrics.queryExecutor
        .scannedObjects as number;
    let before = await scanned();
    expect((await c.findOne({ k: 4321 }))?.other).toBe(4321);
    expect((await scanned()) - before).toBeLessThanOrEqual(5);
    before = await scanned();
    expect(await c.countDocuments({ k: { $gte: 100, $lt: 110 } })).toBe(10);
    expect((await scanned()) - before).toBeLessThanOrEqual(20);
    before = await scanned();
    await c.findOne({ other: 4321 });
    expect((await scanned()) - before).toBeGreaterThan(1000); // not indexed: a real scan
    // "Newest N": a sort on the indexed field with a limit walks the index, not the collection.
    before = await scanned();
    const newest = await c
      .find({}, { projection: { _id: 0, k: 1 } })
      .sort({ k: -1 })
      .limit(3)
      .toArray();
    expect(newest).toEqual([{ k: 4999 }, { k: 4998 }, { k: 4997 }]);
    const oldest = await c
      .find({ k: { $gte: 10 } }, { projection: { _id: 0, k: 1 } })
      .sort({ k: 1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(oldest).toEqual([{ k: 11 }, { k: 12 }]);
    expect((await scanned()) - before).toBeLessThanOrEqual(50);
  });
});
