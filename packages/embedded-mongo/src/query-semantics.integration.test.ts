import {
  Binary,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from "mongodb";
import { beforeEach, describe, expect, it } from "vitest";
import { codeOf, driverFixture } from "../test/driver-fixture.js";

// Query and projection semantics, as MongoDB 7.0 documents them.

const fx = driverFixture("queries");

describe("$type", () => {
  it("tells every BSON type apart, by alias and by number", async () => {
    await fx.c.insertOne({
      _id: new ObjectId(),
      i: 42,
      d: 4.5,
      dd: new Double(2.5),
      l: Long.MAX_VALUE,
      dec: Decimal128.fromString("1.5"),
      b: new Binary(Buffer.from("x")),
      u: new Binary(Buffer.alloc(16), Binary.SUBTYPE_UUID),
      s: "s",
      o: { a: 1 },
      a: [1, "two"],
      t: true,
      dt: new Date(),
      n: null,
      re: /x/,
      ts: new Timestamp({ t: 1, i: 1 }),
      mn: new MinKey(),
      mx: new MaxKey(),
      i32: new Int32(7),
    });
    const count = (filter: object) => fx.c.countDocuments(filter);
    const cases: [string, unknown, number][] = [
      ["_id", "objectId", 1],
      ["_id", 7, 1],
      ["b", "binData", 1],
      ["u", 5, 1],
      ["l", "long", 1],
      ["l", 18, 1],
      ["i", "int", 1],
      ["i", "double", 0],
      ["i32", "int", 1],
      ["d", "double", 1],
      ["d", "int", 0],
      ["dd", 1, 1],
      ["dec", "decimal", 1],
      ["s", "string", 1],
      ["o", "object", 1],
      ["a", "array", 1],
      ["a", "string", 1],
      ["t", "bool", 1],
      ["dt", "date", 1],
      ["n", "null", 1],
      ["re", "regex", 1],
      ["ts", "timestamp", 1],
      ["mn", "minKey", 1],
      ["mx", "maxKey", 1],
      ["i", "number", 1],
      ["dec", "number", 1],
      ["s", ["int", "string"], 1],
      ["missing", "null", 0],
    ];
    for (const [field, type, n] of cases) {
      expect([field, type, await count({ [field]: { $type: type } })]).toEqual([field, type, n]);
    }
    expect(await codeOf(fx.c.countDocuments({ i: { $type: "nope" } }))).toBe(2);
  });
});

describe("$all and DBRefs", () => {
  it("matches $all on a scalar field as the $and of equalities", async () => {
    await fx.c.insertMany([
      { _id: 1 as never, v: 4, s: "a" },
      { _id: 2 as never, v: [4, 5] },
    ]);
    expect((await fx.c.find({ v: { $all: [4] } }).toArray()).map((d) => d._id)).toEqual([1, 2]);
    expect((await fx.c.find({ v: { $all: [4, 5] } }).toArray()).map((d) => d._id)).toEqual([2]);
    expect(await fx.c.countDocuments({ s: { $all: ["a"] } })).toBe(1);
    expect(await fx.c.countDocuments({ v: { $all: [] } })).toBe(0);
  });

  it("queries DBRef fields ($ref, $id) instead of calling them operators", async () => {
    await fx.c.insertOne({
      _id: 1 as never,
      r: [new DBRef("x", 5 as never)],
      one: new DBRef("y", 6 as never),
    });
    expect(await fx.c.countDocuments({ r: { $elemMatch: { $id: 5 } } })).toBe(1);
    expect(await fx.c.countDocuments({ r: { $elemMatch: { $ref: "x", $id: 5 } } })).toBe(1);
    expect(await fx.c.countDocuments({ r: { $elemMatch: { $id: 6 } } })).toBe(0);
    expect(await fx.c.countDocuments({ "one.$id": 6 })).toBe(1);
  });
});

describe("BinData order and bits", () => {
  it("orders BinData by length, then subtype, then bytes", async () => {
    await fx.c.insertMany([
      { _id: 1 as never, b: new Binary(Buffer.from("b")) },
      { _id: 2 as never, b: new Binary(Buffer.from("aa")) },
      { _id: 3 as never, b: new Binary(Buffer.from("b"), 128) },
    ]);
    const ids = (filter: object) =>
      fx.c
        .find(filter)
        .toArray()
        .then((d) => d.map((x) => x._id));
    expect(await ids({ b: { $gt: new Binary(Buffer.from("b")) } })).toEqual([2, 3]);
    expect(await ids({ b: { $lt: new Binary(Buffer.from("aa")) } })).toEqual([1, 3]);
    expect(
      await fx.c
        .find({})
        .sort({ b: 1 })
        .toArray()
        .then((d) => d.map((x) => x._id)),
    ).toEqual([1, 3, 2]);
  });

  it("tests $bits* operators on BinData", async () => {
    await fx.c.insertOne({ _id: 1 as never, b: new Binary(Buffer.from([0x0f, 0x01])) });
    expect(await fx.c.countDocuments({ b: { $bitsAllSet: [0, 1] } })).toBe(1);
    expect(await fx.c.countDocuments({ b: { $bitsAllSet: [0, 8] } })).toBe(1);
    expect(await fx.c.countDocuments({ b: { $bitsAllSet: [4] } })).toBe(0);
    expect(await fx.c.countDocuments({ b: { $bitsAnySet: 0x30 } })).toBe(0);
    expect(await fx.c.countDocuments({ b: { $bitsAllClear: [4, 5, 9] } })).toBe(1);
    expect(
      await fx.c.countDocuments({ b: { $bitsAnyClear: new Binary(Buffer.from([0x1f])) } }),
    ).toBe(1);
  });
});

describe("_id lists", () => {
  it("matches {_id: {$in}} by BSON equality: numbers across types, duplicates, missing ids", async () => {
    await fx.c.insertMany([
      { _id: 1 as never },
      { _id: 2.5 as never },
      { _id: new Long(3) as never },
      { _id: "4" as never },
    ]);
    const found = await fx.c
      .find({ _id: { $in: [new Int32(1), 2.5, 3, 3, 4, "nope"] as never[] } })
      .sort({ _id: 1 })
      .toArray();
    expect(found.map((d) => Number(d._id))).toEqual([1, 2.5, 3]);
    expect(await fx.c.countDocuments({ _id: { $eq: new Double(1) as never } })).toBe(1);
    // Another condition next to $in is still applied.
    expect(await fx.c.countDocuments({ _id: { $in: [1, 2.5] as never[], $gt: 1 as never } })).toBe(
      1,
    );
  });

  it("deletes exactly the listed documents of a large batch", async () => {
    const ids = Array.from({ length: 5000 }, () => new ObjectId());
    await fx.c.insertMany(ids.map((_id, i) => ({ _id, i })));
    const res = await fx.c.deleteMany({ _id: { $in: ids.filter((_, i) => i % 2 === 0) } });
    expect(res.deletedCount).toBe(2500);
    expect(await fx.c.countDocuments({})).toBe(2500);
    expect(await fx.c.countDocuments({ i: { $mod: [2, 1] } })).toBe(2500);
  });
});

describe("invalid filters", () => {
  it("refuses an unknown operator even when the collection does not exist", async () => {
    const none = fx.db.collection("does_not_exist");
    expect(await codeOf(none.find({ p: { $notAnOperator: 1 } }).toArray())).toBe(2);
    expect(await codeOf(none.countDocuments({ p: { $notAnOperator: 1 } }))).toBe(2);
    expect(await codeOf(none.deleteMany({ p: { $notAnOperator: 1 } }))).toBe(2);
    await expect(none.find({ p: { $notAnOperator: 1 } }).toArray()).rejects.toThrow(
      /unknown operator: \$notAnOperator/,
    );
  });
});

describe("projections", () => {
  beforeEach(async () => {
    await fx.c.insertOne({ _id: 1 as never, a: [1, 2, 3], t: "keep", d: [1, 5, 9], b: 2 });
  });

  it("treats $slice alone as an exclusion and allows it next to exclusions", async () => {
    expect(await fx.c.findOne({}, { projection: { a: { $slice: 1 } } })).toEqual({
      _id: 1,
      a: [1],
      t: "keep",
      d: [1, 5, 9],
      b: 2,
    });
    expect(await fx.c.findOne({}, { projection: { a: { $slice: -2 }, t: 0, d: 0 } })).toEqual({
      _id: 1,
      a: [2, 3],
      b: 2,
    });
    expect(await fx.c.findOne({}, { projection: { a: { $slice: [1, 1] }, t: 1 } })).toEqual({
      _id: 1,
      a: [2],
      t: "keep",
    });
  });

  it("accepts $elemMatch with operator-only conditions", async () => {
    expect(await fx.c.findOne({}, { projection: { d: { $elemMatch: { $gte: 4 } } } })).toEqual({
      _id: 1,
      d: [5],
    });
    expect(await fx.c.findOne({}, { projection: { d: { $elemMatch: { $in: [9] } } } })).toEqual({
      _id: 1,
      d: [9],
    });
  });

  it("keeps or drops plain top-level fields as MongoDB does", async () => {
    const one = (projection: Record<string, unknown>) => fx.c.findOne({}, { projection });
    expect(await one({ t: 1, b: true })).toEqual({ _id: 1, t: "keep", b: 2 });
    expect(await one({ t: 1, _id: 0 })).toEqual({ t: "keep" });
    expect(await one({ t: 1, missing: 1 })).toEqual({ _id: 1, t: "keep" });
    expect(await one({ a: 0, d: false })).toEqual({ _id: 1, t: "keep", b: 2 });
    expect(await one({ a: 0, _id: 1 })).toEqual({ _id: 1, t: "keep", d: [1, 5, 9], b: 2 });
    expect(await one({ _id: 1 })).toEqual({ _id: 1 });
    expect(await one({ _id: 0 })).toEqual({ a: [1, 2, 3], t: "keep", d: [1, 5, 9], b: 2 });
    await expect(one({ t: 1, a: 0 })).rejects.toThrow();
  });

  it("returns _id first and the other fields in stored order", async () => {
    const doc = await fx.c.findOne({}, { projection: { b: 1, t: 1 } });
    expect(Object.keys(doc ?? {})).toEqual(["_id", "t", "b"]);
    const [agg] = await fx.c.aggregate([{ $project: { b: 1, t: 1 } }]).toArray();
    expect(Object.keys(agg ?? {})).toEqual(["_id", "t", "b"]);
    const r = await fx.c.findOneAndUpdate(
      { _id: 1 as never },
      { $set: { z: 1 } },
      { projection: { b: 1, t: 1 }, returnDocument: "after" },
    );
    expect(Object.keys(r ?? {})).toEqual(["_id", "t", "b"]);
  });
});
