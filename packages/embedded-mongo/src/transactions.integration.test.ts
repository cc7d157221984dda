import { MongoClient, MongoServerError, type Db } from "mongodb";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDbName, serverUnderTest, type ServerUnderTest } from "../test/server-under-test.js";

let server: ServerUnderTest;
let client: MongoClient;

beforeAll(async () => {
  server = await serverUnderTest();
  client = await new MongoClient(server.uri).connect();
});

afterAll(async () => {
  await client.close();
  await server.stop();
});

async function freshDb(prefix: string): Promise<Db> {
  const db = client.db(freshDbName(prefix));
  await db.createCollection("accounts");
  await db.createCollection("ledger");
  return db;
}

describe("transactions", () => {
  it("commits writes to several collections and databases atomically", async () => {
    const db = await freshDb("txcommit");
    const other = client.db(freshDbName("txother"));
    await other.createCollection("audit");
    await db.collection("accounts").insertMany([
      { _id: "a" as never, balance: 100 },
      { _id: "b" as never, balance: 0 },
    ]);
    const session = client.startSession();
    try {
      await session.withTransaction(async () => {
        await db
          .collection("accounts")
          .updateOne({ _id: "a" as never }, { $inc: { balance: -30 } }, { session });
        await db
          .collection("accounts")
          .updateOne({ _id: "b" as never }, { $inc: { balance: 30 } }, { session });
        await db.collection("ledger").insertOne({ from: "a", to: "b", amount: 30 }, { session });
        await other.collection("audit").insertOne({ what: "transfer" }, { session });
        // Outside the transaction nothing is visible yet.
        expect(await db.collection("ledger").countDocuments()).toBe(0);
        expect((await db.collection("accounts").findOne({ _id: "a" as never }))?.balance).toBe(100);
        // Inside, the transaction sees its own writes.
        expect(
          (await db.collection("accounts").findOne({ _id: "a" as never }, { session }))?.balance,
        ).toBe(70);
      });
    } finally {
      await session.endSession();
    }
    expect((await db.collection("accounts").findOne({ _id: "a" as never }))?.balance).toBe(70);
    expect((await db.collection("accounts").findOne({ _id: "b" as never }))?.balance).toBe(30);
    expect(await db.collection("ledger").countDocuments()).toBe(1);
    expect(await other.collection("audit").countDocuments()).toBe(1);
  });

  it("discards everything on abort and when the session ends", async () => {
    const db = await freshDb("txabort");
    const session = client.startSession();
    session.startTransaction();
    await db.collection("ledger").insertOne({ n: 1 }, { session });
    await session.abortTransaction();
    expect(await db.collection("ledger").countDocuments()).toBe(0);

    session.startTransaction();
    await db.collection("ledger").insertOne({ n: 2 }, { session });
    await session.endSession(); // ends with the transaction still open
    expect(await db.collection("ledger").countDocuments()).toBe(0);
  });

  it("reads from a snapshot taken at the transaction's start", async () => {
    const db = await freshDb("txsnapshot");
    await db.collection("accounts").insertOne({ _id: "x" as never, v: 1 });
    const session = client.startSession();
    try {
      session.startTransaction();
      expect((await db.collection("accounts").findOne({ _id: "x" as never }, { session }))?.v).toBe(
        1,
      );
      await db.collection("accounts").updateOne({ _id: "x" as never }, { $set: { v: 2 } });
      await db.collection("accounts").insertOne({ _id: "y" as never, v: 9 });
      expect((await db.collection("accounts").findOne({ _id: "x" as never }, { session }))?.v).toBe(
        1,
      );
      expect(await db.collection("accounts").countDocuments({}, { session })).toBe(1);
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
  });

  it("fails a conflicting write with WriteConflict (112) labelled TransientTransactionError", async () => {
    const db = await freshDb("txconflict");
    await db.collection("accounts").insertOne({ _id: "c" as never, v: 0 });
    const s1 = client.startSession();
    const s2 = client.startSession();
    try {
      s1.startTransaction();
      s2.startTransaction();
      await db
        .collection("accounts")
        .updateOne({ _id: "c" as never }, { $inc: { v: 1 } }, { session: s1 });
      const err = await db
        .collection("accounts")
        .updateOne({ _id: "c" as never }, { $inc: { v: 10 } }, { session: s2 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      expect((err as MongoServerError).code).toBe(112);
      expect((err as MongoServerError).hasErrorLabel("TransientTransactionError")).toBe(true);
      await s1.commitTransaction();
      await s2.abortTransaction();
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
    expect((await db.collection("accounts").findOne({ _id: "c" as never }))?.v).toBe(1);
  });

  // Embedded behaviour only: MongoDB makes the plain write wait for the transaction, so this
  // sequence would block there until the transaction times out.
  it.skipIf(Boolean(process.env.TEST_MONGODB_URI))(
    "fails the commit with a labelled WriteConflict when a plain write changed a document first",
    async () => {
      const db = await freshDb("txcommitconflict");
      await db.collection("accounts").insertOne({ _id: "d" as never, v: 0 });
      const session = client.startSession();
      try {
        session.startTransaction();
        await db
          .collection("accounts")
          .updateOne({ _id: "d" as never }, { $set: { v: 1 } }, { session });
        await db.collection("accounts").updateOne({ _id: "d" as never }, { $set: { v: 2 } });
        const err = await session.commitTransaction().catch((e: unknown) => e);
        expect((err as MongoServerError).code).toBe(112);
        expect((err as MongoServerError).hasErrorLabel("TransientTransactionError")).toBe(true);
        expect((await db.collection("accounts").findOne({ _id: "d" as never }))?.v).toBe(2);
      } finally {
        await session.endSession();
      }
    },
  );

  it("lets withTransaction retry concurrent increments until all of them land", async () => {
    const db = await freshDb("txretry");
    await db.collection("accounts").insertOne({ _id: "counter" as never, v: 0 });
    const workers = Array.from({ length: 8 }, async () => {
      const session = client.startSession();
      try {
        await session.withTransaction(async () => {
          const doc = await db
            .collection("accounts")
            .findOne({ _id: "counter" as never }, { session });
          await new Promise((r) => setTimeout(r, 5));
          await db
            .collection("accounts")
            .updateOne(
              { _id: "counter" as never },
              { $set: { v: (doc?.v as number) + 1 } },
              { session },
            );
          await db.collection("ledger").insertOne({ saw: doc?.v }, { session });
        });
      } finally {
        await session.endSession();
      }
    });
    await Promise.all(workers);
    expect((await db.collection("accounts").findOne({ _id: "counter" as never }))?.v).toBe(8);
    // Every committed transaction saw a distinct value: no lost updates.
    const seen = (await db.collection("ledger").find().toArray())
      .map((d) => d.saw as number)
      .sort();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("enforces unique indexes inside transactions and on upserts", async () => {
    const db = await freshDb("txunique");
    await db.collection("accounts").createIndex({ email: 1 }, { unique: true });
    await db.collection("accounts").insertOne({ email: "taken@example.com" });
    const session = client.startSession();
    try {
      session.startTransaction();
      await db.collection("accounts").insertOne({ email: "fresh@example.com" }, { session });
      const dup = await db
        .collection("accounts")
        .insertOne({ email: "fresh@example.com" }, { session })
        .catch((e: unknown) => e);
      expect((dup as MongoServerError).code).toBe(11000);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    const upsertErr = await db
      .collection("accounts")
      .updateOne(
        { email: "other@example.com" },
        { $set: { email: "taken@example.com" } },
        { upsert: true },
      )
      .catch((e: unknown) => e);
    expect((upsertErr as MongoServerError).code).toBe(11000);
    expect((upsertErr as MongoServerError).keyValue).toEqual({ email: "taken@example.com" });
    expect(await db.collection("accounts").countDocuments()).toBe(1);
  });

  it("works through mongoose's connection.transaction()", async () => {
    const conn = await mongoose
      .createConnection(server.uri, { dbName: freshDbName("txmongoose") })
      .asPromise();
    try {
      const Item = conn.model(
        "Item",
        new mongoose.Schema({ sku: { type: String, unique: true }, qty: Number }),
      );
      await Item.init();
      await conn.transaction(async (session) => {
        await Item.create([{ sku: "a", qty: 1 }], { session });
        await Item.updateOne({ sku: "a" }, { $inc: { qty: 1 } }, { session });
      });
      expect((await Item.findOne({ sku: "a" }).lean())?.qty).toBe(2);
      await expect(
        conn.transaction(async (session) => {
          await Item.create([{ sku: "b", qty: 1 }], { session });
          throw new Error("rollback");
        }),
      ).rejects.toThrow("rollback");
      expect(await Item.countDocuments({ sku: "b" })).toBe(0);
    } finally {
      await conn.close();
    }
  });
});
