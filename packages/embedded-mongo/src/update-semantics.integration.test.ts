import { Binary } from "mongodb";
import { beforeEach, describe, expect, it } from "vitest";
import { codeOf, driverFixture } from "../test/driver-fixture.js";

// Update semantics mongoose relies on, as MongoDB 7.0 documents them (each case from mongoose's
// own test suite, reduced to one driver call).

const fx = driverFixture("updates");

describe("_id in an update", () => {
  it("accepts $set of _id to its current value and refuses a different one with 66", async () => {
    await fx.c.insertOne({ _id: 1 as never, a: 1 });
    const same = await fx.c.updateOne({ _id: 1 as never }, { $set: { _id: 1, a: 2 } as never });
    expect(same.modifiedCount).toBe(1);
    expect(await fx.c.findOne({ _id: 1 as never })).toEqual({ _id: 1, a: 2 });
    expect(await codeOf(fx.c.updateOne({ _id: 1 as never }, { $set: { _id: 2 } as never }))).toBe(
      66,
    );
    // bulkWrite of a whole document, as mongoose sends it.
    const bulk = await fx.c.bulkWrite([
      { updateOne: { filter: { _id: 1 as never }, update: { $set: { _id: 1, a: 3 } as never } } },
    ]);
    expect(bulk.modifiedCount).toBe(1);
  });
});

describe("several paths under one array element", () => {
  it("sets two fields through $, $[e] and $[] without calling it a conflict", async () => {
    await fx.c.insertOne({
      _id: 1 as never,
      ch: [
        { n: "foo", t: 0 },
        { n: "baz", t: 0 },
      ],
    });
    await fx.c.updateOne({ "ch.n": "foo" }, { $set: { "ch.$.n": "bar", "ch.$.t": 1 } });
    expect((await fx.c.findOne({}))?.ch).toEqual([
      { n: "bar", t: 1 },
      { n: "baz", t: 0 },
    ]);
    await fx.c.updateOne(
      { _id: 1 as never },
      { $set: { "ch.$[e].a": 1, "ch.$[e].b": 2 } },
      { arrayFilters: [{ "e.n": "baz" }] },
    );
    expect((await fx.c.findOne({}))?.ch[1]).toEqual({ n: "baz", t: 0, a: 1, b: 2 });
    await fx.c.updateOne({ _id: 1 as never }, { $set: { "ch.$[].x": 1, "ch.$[].y": 2 } });
    const ch = (await fx.c.findOne({}))?.ch as { x: number; y: number }[];
    expect(ch.map((e) => [e.x, e.y])).toEqual([
      [1, 2],
      [1, 2],
    ]);
    // A real conflict is still refused (40 ConflictingUpdateOperators).
    expect(await codeOf(fx.c.updateOne({}, { $set: { a: 1, "a.b": 2 } }))).toBe(40);
  });
});

describe("$pull", () => {
  it("applies a query condition to each subdocument", async () => {
    await fx.c.insertOne({
      _id: 1 as never,
      m: [
        { n: "a", r: "x" },
        { n: "b", r: "y" },
      ],
      d: [1, 5, 9],
    });
    await fx.c.updateOne(
      { _id: 1 as never },
      { $pull: { m: { $or: [{ n: "a", r: "x" }] } } as never },
    );
    expect((await fx.c.findOne({}))?.m).toEqual([{ n: "b", r: "y" }]);
    await fx.c.updateOne(
      { _id: 1 as never },
      { $pull: { m: { n: "b" }, d: { $gte: 5 } } as never },
    );
    expect(await fx.c.findOne({})).toEqual({ _id: 1, m: [], d: [1] });
  });
});

describe("field names", () => {
  it("lets an upsert insert $-prefixed fields, and refuses them on a stored document", async () => {
    await fx.c.updateOne({ _id: 9 as never }, { $set: { $hotel: 1, phone: 2 } }, { upsert: true });
    expect(await fx.c.findOne({ _id: 9 as never })).toEqual({ _id: 9, $hotel: 1, phone: 2 });
    expect(await codeOf(fx.c.updateOne({ _id: 9 as never }, { $set: { $hotel: 3 } }))).toBe(52);
  });

  it("stores __proto__ as an ordinary field, through $set and $rename", async () => {
    await fx.c.insertOne({ _id: 1 as never, h: "w" });
    await fx.c.updateOne(
      { _id: 1 as never },
      { $set: { p: JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown> } },
    );
    const p = (await fx.c.findOne({}))?.p as Record<string, unknown>;
    expect(Object.keys(p)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(p, "__proto__")?.value).toEqual({ x: 1 });
    await fx.c.updateOne({ _id: 1 as never }, { $rename: { h: "__proto__.polluted" } });
    const doc = (await fx.c.findOne({})) as Record<string, unknown>;
    expect(doc.h).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(doc, "__proto__")?.value).toEqual({ polluted: "w" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("invalid updates", () => {
  beforeEach(async () => {
    await fx.c.insertOne({ _id: 1 as never, num: 42, arr: [{ b: 1 }, { b: 2 }] });
  });

  it("refuses array operators on a non-array with MongoDB's codes", async () => {
    expect(await codeOf(fx.c.updateOne({ _id: 1 as never }, { $push: { num: 1 } as never }))).toBe(
      2,
    );
    expect(await codeOf(fx.c.updateOne({ _id: 1 as never }, { $addToSet: { num: 1 } }))).toBe(2);
    expect(await codeOf(fx.c.updateOne({ _id: 1 as never }, { $pop: { num: 1 } as never }))).toBe(
      14,
    );
    expect(await codeOf(fx.c.updateOne({ _id: 1 as never }, { $pull: { num: 1 } as never }))).toBe(
      2,
    );
  });

  it("refuses a field that cannot be created with 28 PathNotViable", async () => {
    expect(await codeOf(fx.c.updateOne({ _id: 1 as never }, { $set: { "arr.body": "x" } }))).toBe(
      28,
    );
    expect(await codeOf(fx.c.updateOne({ _id: 1 as never }, { $set: { "num.x": 1 } }))).toBe(28);
    expect(await codeOf(fx.c.updateOne({ _id: 1 as never }, { $inc: { "num.x": 1 } }))).toBe(28);
    // A bulkWrite reports it as a write error, as mongoose expects.
    await expect(
      fx.c.bulkWrite([
        { updateOne: { filter: { _id: 1 as never }, update: { $push: { num: 1 } as never } } },
      ]),
    ).rejects.toMatchObject({ code: 2 });
    expect(await fx.c.findOne({})).toEqual({ _id: 1, num: 42, arr: [{ b: 1 }, { b: 2 }] });
    // Array indexes are paths, and setting past the end pads with null.
    await fx.c.updateOne({ _id: 1 as never }, { $set: { "arr.3.b": 4 } });
    expect((await fx.c.findOne({}))?.arr).toEqual([{ b: 1 }, { b: 2 }, null, { b: 4 }]);
  });
});

describe("BinData", () => {
  it("applies a change of only the subtype", async () => {
    await fx.c.insertOne({ _id: 1 as never, b: new Binary(Buffer.from("hi"), 128) });
    const r = await fx.c.updateOne(
      { _id: 1 as never },
      { $set: { b: new Binary(Buffer.from("hi"), 0) } },
    );
    expect(r.modifiedCount).toBe(1);
    expect(((await fx.c.findOne({}))?.b as Binary).sub_type).toBe(0);
  });
});
