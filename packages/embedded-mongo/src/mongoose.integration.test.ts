import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDbName, serverUnderTest, type ServerUnderTest } from "../test/server-under-test.js";

let server: ServerUnderTest;
let conn: mongoose.Connection;

beforeAll(async () => {
  server = await serverUnderTest();
  // The URI works as returned, with no options.
  conn = await mongoose.createConnection(server.uri).asPromise();
});

afterAll(async () => {
  await conn.close();
  await server.stop();
});

const userSchema = new mongoose.Schema(
  {
    email: { type: String, required: true, unique: true },
    name: String,
    visits: { type: Number, default: 0 },
    tags: [String],
  },
  { timestamps: true },
);

describe("mongoose over the wire", () => {
  it("connects as a replica-set primary", () => {
    expect(conn.readyState).toBe(mongoose.ConnectionStates.connected);
  });

  it("creates, reads, updates and deletes documents", async () => {
    const db = conn.useDb(freshDbName("crud"));
    const User = db.model("User", userSchema);
    await User.init();
    const ada = await User.create({ email: "ada@example.com", name: "Ada", tags: ["math"] });
    expect(ada._id).toBeDefined();

    const found = await User.findOne({ email: "ada@example.com" }).lean();
    expect(found?.name).toBe("Ada");
    expect(found?.createdAt).toBeInstanceOf(Date);

    await User.updateOne({ _id: ada._id }, { $inc: { visits: 2 }, $push: { tags: "logic" } });
    const updated = await User.findById(ada._id).lean();
    expect(updated?.visits).toBe(2);
    expect(updated?.tags).toEqual(["math", "logic"]);

    ada.name = "Ada Lovelace";
    await ada.save();
    expect((await User.findById(ada._id).lean())?.name).toBe("Ada Lovelace");

    const after = await User.findOneAndUpdate(
      { email: "ada@example.com" },
      { $set: { name: "A." } },
      { returnDocument: "after" },
    ).lean();
    expect(after?.name).toBe("A.");

    await User.create([{ email: "b@example.com" }, { email: "c@example.com" }]);
    expect(await User.countDocuments()).toBe(3);
    const sorted = await User.find().sort({ email: -1 }).select({ email: 1 }).lean();
    expect(sorted.map((u) => u.email)).toEqual([
      "c@example.com",
      "b@example.com",
      "ada@example.com",
    ]);

    await User.deleteOne({ email: "b@example.com" });
    expect(await User.countDocuments()).toBe(2);
    await User.deleteMany({});
    expect(await User.countDocuments()).toBe(0);
  });

  it("rejects a duplicate on a unique index with code 11000, keyPattern and keyValue", async () => {
    const db = conn.useDb(freshDbName("unique"));
    const User = db.model("User", userSchema);
    await User.init();
    await User.create({ email: "dup@example.com" });
    const err = await User.create({ email: "dup@example.com" }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: "dup@example.com" },
    });
    expect(String((err as Error).message)).toMatch(/E11000 duplicate key error/);
    expect(await User.countDocuments()).toBe(1);

    // An update that would collide is rejected too and leaves the document unchanged.
    const other = await User.create({ email: "other@example.com" });
    const updErr = await User.updateOne(
      { _id: other._id },
      { $set: { email: "dup@example.com" } },
    ).catch((e: unknown) => e);
    expect(updErr).toMatchObject({ code: 11000 });
    expect((await User.findById(other._id).lean())?.email).toBe("other@example.com");
  });

  it("upserts through findOneAndUpdate and lists the schema's indexes", async () => {
    const db = conn.useDb(freshDbName("upsert"));
    const User = db.model("User", userSchema);
    await User.init();
    const doc = await User.findOneAndUpdate(
      { email: "new@example.com" },
      { $setOnInsert: { name: "New" } },
      { upsert: true, returnDocument: "after" },
    ).lean();
    expect(doc).toMatchObject({ email: "new@example.com", name: "New" });
    const indexes = await User.listIndexes();
    expect(indexes.map((i) => i.name).sort()).toEqual(["_id_", "email_1"]);
    expect(indexes.find((i) => i.name === "email_1")).toMatchObject({
      key: { email: 1 },
      unique: true,
    });
  });
});
