import {
  Binary,
  BSON,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  MongoClient,
  ObjectId,
  Timestamp,
  type Db,
} from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDbName, serverUnderTest, type ServerUnderTest } from "../test/server-under-test.js";

let server: ServerUnderTest;
let client: MongoClient;
let db: Db;

beforeAll(async () => {
  server = await serverUnderTest();
  client = await new MongoClient(server.uri).connect();
  db = client.db(freshDbName("bson"));
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
  await server.stop();
});

describe("BSON types where they meet matching, sorting, updates and indexes", () => {
  it("round-trips every common type unchanged", async () => {
    const c = db.collection("roundtrip");
    const original = {
      _id: new ObjectId(),
      d: new Date("2024-02-29T12:34:56.789Z"),
      dec: Decimal128.fromString("1234567890.123456789"),
      long: Long.fromString("9007199254740993"),
      bin: new Binary(Buffer.from([1, 2, 3]), 0),
      nested: { arr: [1, "two", null, { three: 3 }] },
      nul: null,
      bool: false,
      re: /ab+c/i,
    };
    await c.insertOne(original);
    const back = await c.findOne({ _id: original._id }, { promoteLongs: false });
    expect(back?.d).toEqual(original.d);
    expect(back?.dec.toString()).toBe("1234567890.123456789");
    expect(Long.isLong(back?.long) && back.long.toString()).toBe("9007199254740993");
    expect(Buffer.from((back?.bin as Binary).buffer)).toEqual(Buffer.from([1, 2, 3]));
    expect(back?.nested).toEqual(original.nested);
    expect(back?.nul).toBeNull();
    expect(back?.bool).toBe(false);
    expect(back?.re).toEqual(/ab+c/i);
  });

  it("projects top-level fields of every type to the same bytes as the whole document's", async () => {
    const c = db.collection("projected");
    const doc = {
      _id: new ObjectId(),
      dbl: 1.5,
      str: "zürich ✓",
      obj: { a: [1, { b: "c" }] },
      arr: [new Date(0), null, "x"],
      bin: new Binary(Buffer.from([9, 8, 7]), 4),
      oid: new ObjectId(),
      bool: true,
      date: new Date("2024-02-29T12:34:56.789Z"),
      nul: null,
      re: /a.c/gi,
      code: new Code("x => x"),
      int: new Int32(-3),
      ts: new Timestamp({ t: 5, i: 6 }),
      long: Long.fromString("-9007199254740993"),
      dec: Decimal128.fromString("-0.001"),
      min: new MinKey(),
      max: new MaxKey(),
    };
    await c.insertOne(doc);
    const raw = { raw: true, promoteLongs: false } as const;
    const [whole] = await c.find({}, raw).toArray();
    const all = BSON.deserialize(whole as unknown as Uint8Array, { promoteLongs: false });
    const names = Object.keys(doc).filter((k) => k !== "_id");
    for (const name of names) {
      const [kept] = await c.find({}, { ...raw, projection: { [name]: 1 } }).toArray();
      expect(BSON.deserialize(kept as unknown as Uint8Array, { promoteLongs: false })).toEqual({
        _id: all._id,
        [name]: all[name],
      });
    }
    const [dropped] = await c
      .find({}, { ...raw, projection: { _id: 0, str: 0, dec: 0 } })
      .toArray();
    const rest = Object.fromEntries(
      Object.entries(all).filter(([k]) => !["_id", "str", "dec"].includes(k)),
    );
    expect(Buffer.from(dropped as unknown as Uint8Array)).toEqual(
      Buffer.from(BSON.serialize(rest)),
    );
  });

  it("compares Decimal128, Long, Int32 and Double by numeric value", async () => {
    const c = db.collection("numbers");
    await c.insertMany([
      { k: "dec", v: Decimal128.fromString("3.5") },
      { k: "long", v: Long.fromNumber(7) },
      { k: "int", v: new Int32(2) },
      { k: "double", v: new Double(1.5) },
      { k: "decOne", v: Decimal128.fromString("1") },
    ]);
    const keys = async (filter: object) =>
      (await c.find(filter).sort({ k: 1 }).toArray()).map((d) => d.k as string);
    expect(await keys({ v: { $gt: 2 } })).toEqual(["dec", "long"]);
    expect(await keys({ v: { $lte: Decimal128.fromString("2.0") } })).toEqual([
      "decOne",
      "double",
      "int",
    ]);
    expect(await keys({ v: 1 })).toEqual(["decOne"]);
    expect(await keys({ v: { $in: [7, 3.5] } })).toEqual(["dec", "long"]);
    expect(await keys({ v: { $ne: 1 } })).toEqual(["dec", "double", "int", "long"]);
    const sorted = (await c.find().sort({ v: -1 }).toArray()).map((d) => d.k as string);
    expect(sorted).toEqual(["long", "dec", "int", "double", "decOne"]);
    await c.updateOne({ k: "dec" }, { $inc: { v: Decimal128.fromString("0.25") } });
    expect((await c.findOne({ k: "dec" }))?.v.toString()).toBe("3.75");
    await c.updateOne({ k: "int" }, { $inc: { v: 3 } });
    expect((await c.findOne({ k: "int" }))?.v).toBe(5);
  });

  it("treats null as matching null and missing, and $exists tells them apart", async () => {
    const c = db.collection("nulls");
    await c.insertMany([{ k: 1, f: null }, { k: 2 }, { k: 3, f: 0 }, { k: 4, f: [null, 1] }]);
    const ks = async (filter: object) =>
      (await c.find(filter).sort({ k: 1 }).toArray()).map((d) => d.k as number);
    expect(await ks({ f: null })).toEqual([1, 2, 4]);
    expect(await ks({ f: { $exists: false } })).toEqual([2]);
    // $type also matches an array whose elements include the type (MongoDB's $type docs).
    expect(await ks({ f: { $type: "null" } })).toEqual([1, 4]);
    expect(await ks({ f: { $ne: null } })).toEqual([3]);
    // In a unique index missing and null are the same key.
    const u = db.collection("nulls_unique");
    await u.createIndex({ f: 1 }, { unique: true });
    await u.insertOne({ f: null });
    await expect(u.insertOne({})).rejects.toMatchObject({ code: 11000 });
  });

  it("matches arrays by element, by whole value and with $elemMatch/$all/$size", async () => {
    const c = db.collection("arrays");
    await c.insertMany([
      {
        k: 1,
        a: [1, 2, 3],
        o: [
          { x: 1, y: "a" },
          { x: 2, y: "b" },
        ],
      },
      { k: 2, a: [3, 4], o: [{ x: 1, y: "b" }] },
      { k: 3, a: [], o: [] },
    ]);
    const ks = async (filter: object) =>
      (await c.find(filter).sort({ k: 1 }).toArray()).map((d) => d.k as number);
    expect(await ks({ a: 3 })).toEqual([1, 2]);
    expect(await ks({ a: [3, 4] })).toEqual([2]);
    expect(await ks({ a: { $all: [1, 3] } })).toEqual([1]);
    expect(await ks({ a: { $size: 0 } })).toEqual([3]);
    expect(await ks({ o: { $elemMatch: { x: 1, y: "b" } } })).toEqual([2]);
    expect(await ks({ "o.y": "b" })).toEqual([1, 2]);
    expect(await ks({ a: { $gt: 3 } })).toEqual([2]);
    // A multikey index finds documents by any element.
    await c.createIndex({ a: 1 });
    expect(await ks({ a: 2 })).toEqual([1]);
    expect(await ks({ a: { $gte: 4 } })).toEqual([2]);
  });

  it("orders and ranges Dates and ObjectIds, also through an index", async () => {
    const c = db.collection("dates");
    await c.createIndex({ at: 1 });
    const base = Date.UTC(2024, 0, 1);
    const ids = Array.from({ length: 5 }, (_, i) => ObjectId.createFromTime(1_700_000_000 + i));
    await c.insertMany(ids.map((_id, i) => ({ _id, at: new Date(base + i * 86_400_000) })));
    const inRange = await c
      .find({ at: { $gte: new Date(base + 86_400_000), $lt: new Date(base + 3 * 86_400_000) } })
      .toArray();
    expect(inRange.map((d) => d._id.toHexString())).toEqual([
      ids[1]?.toHexString(),
      ids[2]?.toHexString(),
    ]);
    const byId = await c
      .find({ _id: { $gt: ids[2] } })
      .sort({ _id: -1 })
      .toArray();
    expect(byId.map((d) => d._id.toHexString())).toEqual([
      ids[4]?.toHexString(),
      ids[3]?.toHexString(),
    ]);
    expect(
      await c.countDocuments({
        _id: { $in: [ids[0] as ObjectId, ids[4] as ObjectId, new ObjectId()] },
      }),
    ).toBe(2);
  });
});
