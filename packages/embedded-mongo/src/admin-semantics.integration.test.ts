import { describe, expect, it } from "vitest";
import { codeOf, driverFixture } from "../test/driver-fixture.js";

// Commands and aggregation stages as MongoDB 7.0 documents them: hint, collMod, time-series
// options, $merge / $out, and the replica-set and diagnostic commands mongosh runs.

const fx = driverFixture("admin_cmds");

describe("hint", () => {
  it("refuses a hint naming no index, and follows a hinted index's order", async () => {
    await fx.c.insertMany([
      { _id: 1 as never, q: 2 },
      { _id: 2 as never, q: 3 },
      { _id: 3 as never, q: 1 },
    ]);
    expect(await codeOf(fx.c.find({}).hint({ nope: 1 }).toArray())).toBe(2);
    expect(await codeOf(fx.c.find({}).hint("nope_1").toArray())).toBe(2);
    expect(await codeOf(fx.c.aggregate([{ $match: {} }], { hint: { nope: 1 } }).toArray())).toBe(2);
    expect(await codeOf(fx.c.countDocuments({}, { hint: { nope: 1 } }))).toBe(2);
    expect(await codeOf(fx.c.updateOne({}, { $set: { z: 1 } }, { hint: { nope: 1 } }))).toBe(2);
    await fx.c.createIndex({ q: -1 });
    const ids = (docs: { _id: unknown }[]) => docs.map((d) => d._id);
    expect(ids(await fx.c.find({}).hint({ q: -1 }).toArray())).toEqual([2, 1, 3]);
    expect(ids(await fx.c.find({}).hint("q_-1").toArray())).toEqual([2, 1, 3]);
    expect(ids(await fx.c.find({}).hint({ $natural: -1 }).toArray())).toEqual([3, 2, 1]);
    expect(ids(await fx.c.find({}).hint({ _id: 1 }).toArray())).toEqual([1, 2, 3]);
    // A missing collection has no indexes to refuse: MongoDB answers an empty result.
    expect(await fx.db.collection("never_created").find({}).hint({ nope: 1 }).toArray()).toEqual(
      [],
    );
  });
});

describe("collMod", () => {
  it("hides and unhides an index, and the hidden index is not usable as a hint", async () => {
    await fx.c.insertOne({ n: 1 });
    await fx.c.createIndex({ n: 1 });
    const hide = await fx.db.command({
      collMod: fx.c.collectionName,
      index: { keyPattern: { n: 1 }, hidden: true },
    });
    expect(hide).toMatchObject({ ok: 1, hidden_old: false, hidden_new: true });
    const listed = await fx.c.listIndexes().toArray();
    expect(listed.find((i) => i.name === "n_1")?.hidden).toBe(true);
    expect(await codeOf(fx.c.find({}).hint({ n: 1 }).toArray())).toBe(2);
    expect(await fx.c.countDocuments({ n: 1 })).toBe(1);
    await fx.db.command({ collMod: fx.c.collectionName, index: { name: "n_1", hidden: false } });
    expect(
      (await fx.c.listIndexes().toArray()).find((i) => i.name === "n_1")?.hidden,
    ).toBeUndefined();
    expect(
      await codeOf(
        fx.db.command({
          collMod: fx.c.collectionName,
          index: { keyPattern: { zz: 1 }, hidden: true },
        }),
      ),
    ).toBe(27);
    expect(await codeOf(fx.db.command({ collMod: "no_such_coll", validator: {} }))).toBe(26);
  });

  it("changes a TTL index's expireAfterSeconds", async () => {
    await fx.c.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
    const r = await fx.db.command({
      collMod: fx.c.collectionName,
      index: { keyPattern: { at: 1 }, expireAfterSeconds: 5 },
    });
    expect(r).toMatchObject({ expireAfterSeconds_old: 60, expireAfterSeconds_new: 5 });
    expect(
      (await fx.c.listIndexes().toArray()).find((i) => i.name === "at_1")?.expireAfterSeconds,
    ).toBe(5);
  });
});

describe("time-series collections", () => {
  it("reports the type and the options with MongoDB's defaults", async () => {
    const name = `ts_${Math.random().toString(36).slice(2)}`;
    await fx.db.createCollection(name, { timeseries: { timeField: "t", metaField: "m" } });
    const [info] = await fx.db.listCollections({ name }).toArray();
    expect(info?.type).toBe("timeseries");
    expect((info as { options?: { timeseries?: unknown } }).options?.timeseries).toEqual({
      timeField: "t",
      metaField: "m",
      granularity: "seconds",
      bucketMaxSpanSeconds: 3600,
    });
    await fx.db.collection(name).insertOne({ t: new Date(), m: "a", v: 1 });
    expect(await fx.db.collection(name).countDocuments()).toBe(1);
  });
});

describe("$merge and $out", () => {
  it("$merge writes its output, merging matches and inserting the rest", async () => {
    const target = fx.db.collection(`${fx.c.collectionName}_out`);
    await target.insertOne({ _id: "a" as never, total: 0, keep: true });
    await fx.c.insertMany([
      { k: "a", v: 1 },
      { k: "a", v: 2 },
      { k: "b", v: 5 },
    ]);
    const reply = await fx.c
      .aggregate([
        { $group: { _id: "$k", total: { $sum: "$v" } } },
        { $merge: { into: target.collectionName } },
      ])
      .toArray();
    expect(reply).toEqual([]);
    expect(await target.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: "a", total: 3, keep: true },
      { _id: "b", total: 5 },
    ]);
    await fx.c
      .aggregate([
        { $group: { _id: "$k", total: { $sum: 1 } } },
        {
          $merge: {
            into: target.collectionName,
            whenMatched: "replace",
            whenNotMatched: "discard",
          },
        },
      ])
      .toArray();
    expect(await target.findOne({ _id: "a" as never })).toEqual({ _id: "a", total: 2 });
    expect(
      await codeOf(
        fx.c.aggregate([{ $project: { _id: 0 } }, { $merge: { into: "x", on: "k" } }]).toArray(),
      ),
    ).toBe(51183);
    expect(await codeOf(fx.c.aggregate([{ $merge: "x" }, { $match: {} }]).toArray())).toBe(40601);
  });

  it("$out replaces the target collection", async () => {
    const target = fx.db.collection(`${fx.c.collectionName}_copy`);
    await target.insertOne({ stale: true });
    await fx.c.insertMany([{ v: 1 }, { v: 2 }]);
    await fx.c.aggregate([{ $match: { v: 2 } }, { $out: target.collectionName }]).toArray();
    expect(await target.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ v: 2 }]);
  });
});

describe("replica set and diagnostic commands", () => {
  it("answers rs.status() and rs.conf() as a one-node replica set", async () => {
    const status = await fx.db.admin().command({ replSetGetStatus: 1 });
    expect(status).toMatchObject({ ok: 1, myState: 1 });
    expect(status.members).toHaveLength(1);
    expect(status.members[0]).toMatchObject({ stateStr: "PRIMARY", health: 1, self: true });
    expect(status.set).toBe((await fx.db.admin().command({ hello: 1 })).setName);
    const conf = await fx.db.admin().command({ replSetGetConfig: 1 });
    expect(conf.config.members).toHaveLength(1);
    expect(await codeOf(fx.db.command({ replSetGetStatus: 1 }))).toBe(13);
  });

  it("answers fx.db.currentOp(), as a command and as the $currentOp stage", async () => {
    const ops = await fx.db.admin().command({ currentOp: 1 });
    expect(ops.ok).toBe(1);
    expect(ops.inprog.some((op: { active: boolean }) => op.active)).toBe(true);
    const staged = await fx.client
      .db("admin")
      .aggregate([{ $currentOp: { allUsers: true } }, { $match: { active: true } }])
      .toArray();
    expect(staged.length).toBeGreaterThanOrEqual(1);
  });

  it("validates a collection and its indexes", async () => {
    await fx.c.insertMany([{ a: 1 }, { a: [2, 3] }]);
    await fx.c.createIndex({ a: 1 });
    const r = await fx.db.command({ validate: fx.c.collectionName });
    expect(r).toMatchObject({ ok: 1, valid: true, nrecords: 2, nIndexes: 2 });
    expect(r.keysPerIndex).toEqual({ _id_: 2, a_1: 3 });
    expect(await codeOf(fx.db.command({ validate: "no_such_coll" }))).toBe(26);
  });
});
