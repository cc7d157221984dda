import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MongoClient } from "mongodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startChild } from "../test/child-server.js";
import { startEmbeddedMongo } from "./index.js";

// Durability is a property of the embedded server's dbPath; a real MongoDB has its own.
const external = Boolean(process.env.TEST_MONGODB_URI);

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-mongo-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(external)("durability with a dbPath", () => {
  it("keeps documents, collections and unique indexes across a restart", async () => {
    const dbPath = tempDir();
    let server = await startEmbeddedMongo({ dbPath });
    let client = await new MongoClient(server.uri).connect();
    const users = client.db("tenant_a").collection("users");
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertMany([{ email: "a@x" }, { email: "b@x" }]);
    await users.updateOne({ email: "a@x" }, { $set: { name: "A" } });
    await users.deleteOne({ email: "b@x" });
    await client.db("tenant_b").collection("notes").insertOne({ text: "hi" });
    await client.db("tenant_c").collection("gone").insertOne({});
    await client.db("tenant_c").dropDatabase();
    await client.close();
    await server.stop();

    server = await startEmbeddedMongo({ dbPath });
    client = await new MongoClient(server.uri).connect();
    try {
      const names = (await client.db().admin().listDatabases({ nameOnly: true })).databases.map(
        (d) => d.name,
      );
      expect(names).toEqual(expect.arrayContaining(["tenant_a", "tenant_b"]));
      expect(names).not.toContain("tenant_c");
      const again = client.db("tenant_a").collection("users");
      expect(await again.find({}, { projection: { _id: 0 } }).toArray()).toEqual([
        { email: "a@x", name: "A" },
      ]);
      await expect(again.insertOne({ email: "a@x" })).rejects.toMatchObject({ code: 11000 });
      expect(await client.db("tenant_b").collection("notes").countDocuments()).toBe(1);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it("replays records of every size (a record's first byte never decides its kind)", async () => {
    // Regression: a single-change record whose BSON length had a low byte of 1 was read as a
    // batch, failed to decode, and cut the journal there, losing every later write.
    const dbPath = tempDir();
    let server = await startEmbeddedMongo({ dbPath });
    let client = await new MongoClient(server.uri).connect();
    const docs = Array.from({ length: 600 }, (_, i) => ({ i, pad: "x".repeat(i) }));
    for (const doc of docs)
      await client
        .db("sizes")
        .collection("docs")
        .insertOne({ ...doc });
    await client.close();
    await server.stop();

    server = await startEmbeddedMongo({ dbPath });
    client = await new MongoClient(server.uri).connect();
    try {
      const back = await client
        .db("sizes")
        .collection("docs")
        .find({}, { projection: { _id: 0 } })
        .sort({ i: 1 })
        .toArray();
      expect(back).toEqual(docs);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it("recovers every acknowledged write after kill -9", async () => {
    const dbPath = tempDir();
    const { child, uri } = await startChild(dbPath);
    const client = await new MongoClient(uri, {
      maxPoolSize: 16,
      retryWrites: false,
      serverSelectionTimeoutMS: 2000,
    }).connect();
    const coll = client.db("crash").collection("events");
    const session = client.startSession();
    await session.withTransaction(async () => {
      await coll.insertOne({ n: -1 }, { session });
      await client.db("crash_other").collection("events").insertOne({ n: -2 }, { session });
    });
    await session.endSession();
    const acknowledged: number[] = [];
    let killed = false;
    // 16 concurrent writers keep writing while the server is killed; a write counts only once
    // it has been acknowledged.
    const writers = Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; !killed; i++) {
        const n = w * 100_000 + i;
        try {
          await coll.insertOne({ n });
        } catch {
          return;
        }
        if (!killed) acknowledged.push(n);
      }
    });
    while (acknowledged.length < 400) await new Promise((r) => setTimeout(r, 5));
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    killed = true;
    await exited;
    await Promise.all(writers);
    await client.close(true).catch(() => undefined);

    const server = await startEmbeddedMongo({ dbPath });
    const again = await new MongoClient(server.uri).connect();
    try {
      const recovered = new Set(
        (await again.db("crash").collection("events").find().toArray()).map((d) => d.n as number),
      );
      const lost = acknowledged.filter((n) => !recovered.has(n));
      expect(lost).toEqual([]);
      expect(recovered.has(-1)).toBe(true);
      expect(await again.db("crash_other").collection("events").countDocuments()).toBe(1);
    } finally {
      await again.close();
      await server.stop();
    }
  });

  it("drops a torn last record with a warning and keeps everything before it", async () => {
    const dbPath = tempDir();
    let server = await startEmbeddedMongo({ dbPath });
    let client = await new MongoClient(server.uri).connect();
    await client
      .db("torn")
      .collection("c")
      .insertMany([{ i: 1 }, { i: 2 }, { i: 3 }]);
    await client.close();
    await server.stop();
    // A crash in the middle of an append leaves a partial record at the end of the file.
    const file = path.join(dbPath, "torn.journal");
    const whole = fs.readFileSync(file);
    fs.appendFileSync(file, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5, 6]));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    server = await startEmbeddedMongo({ dbPath });
    client = await new MongoClient(server.uri).connect();
    try {
      expect((await client.db("torn").collection("c").find().toArray()).map((d) => d.i)).toEqual([
        1, 2, 3,
      ]);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/torn or corrupt record/));
      expect(fs.statSync(file).size).toBe(whole.length);
      // New writes after recovery append cleanly.
      await client.db("torn").collection("c").insertOne({ i: 4 });
    } finally {
      warn.mockRestore();
      await client.close();
      await server.stop();
    }
    server = await startEmbeddedMongo({ dbPath });
    client = await new MongoClient(server.uri).connect();
    try {
      expect(await client.db("torn").collection("c").countDocuments()).toBe(4);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it("compacts a journal of mostly superseded records when the database is opened", async () => {
    const dbPath = tempDir();
    let server = await startEmbeddedMongo({ dbPath });
    let client = await new MongoClient(server.uri).connect();
    const counter = client.db("compact").collection("counter");
    await counter.insertOne({ _id: "c" as never, n: 0 });
    for (let i = 0; i < 1500; i++)
      await counter.updateOne({ _id: "c" as never }, { $inc: { n: 1 } });
    await client.close();
    await server.stop();
    const file = path.join(dbPath, "compact.journal");
    const before = fs.statSync(file).size;
    server = await startEmbeddedMongo({ dbPath });
    client = await new MongoClient(server.uri).connect();
    try {
      expect((await client.db("compact").collection("counter").findOne({}))?.n).toBe(1500);
      expect(fs.statSync(file).size).toBeLessThan(before / 10);
    } finally {
      await client.close();
      await server.stop();
    }
    server = await startEmbeddedMongo({ dbPath });
    client = await new MongoClient(server.uri).connect();
    try {
      expect((await client.db("compact").collection("counter").findOne({}))?.n).toBe(1500);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it("groups concurrent writes into shared fsyncs", async () => {
    const dbPath = tempDir();
    const server = await startEmbeddedMongo({ dbPath });
    const client = await new MongoClient(server.uri, { maxPoolSize: 16 }).connect();
    try {
      const journal = async () =>
        (await client.db().admin().command({ serverStatus: 1 })).journal as {
          records: number;
          rounds: number;
        };
      const before = await journal();
      const coll = client.db("grouped").collection("c");
      await Promise.all(
        Array.from({ length: 16 }, async (_, w) => {
          for (let i = 0; i < 20; i++) await coll.insertOne({ w, i });
        }),
      );
      const after = await journal();
      const records = after.records - before.records;
      const rounds = after.rounds - before.rounds;
      expect(records).toBeGreaterThanOrEqual(320);
      // Each round is one fdatasync per touched file: far fewer than one per write.
      expect(rounds).toBeLessThan(records / 2);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it("refuses a second server on a dbPath that is in use", async () => {
    const dbPath = tempDir();
    const server = await startEmbeddedMongo({ dbPath });
    try {
      await expect(startEmbeddedMongo({ dbPath })).rejects.toThrow(/in use/);
    } finally {
      await server.stop();
    }
    const again = await startEmbeddedMongo({ dbPath });
    await again.stop();
  });

  it("opens databases lazily and keeps the number of open files bounded", async () => {
    const dbPath = tempDir();
    const server = await startEmbeddedMongo({ dbPath });
    const client = await new MongoClient(server.uri).connect();
    const openJournals = () =>
      fs.readdirSync("/proc/self/fd").filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`).endsWith(".journal");
        } catch {
          return false;
        }
      }).length;
    try {
      for (let i = 0; i < 300; i += 30) {
        await Promise.all(
          Array.from({ length: 30 }, (_, j) =>
            client
              .db(`lazy_${i + j}`)
              .collection("c")
              .insertOne({ i: i + j }),
          ),
        );
      }
      expect(fs.readdirSync(dbPath).filter((f) => f.endsWith(".journal")).length).toBe(300);
      expect(openJournals()).toBeLessThanOrEqual(64);
      const list = await client.db().admin().listDatabases({ nameOnly: true });
      expect(list.databases.filter((d) => d.name.startsWith("lazy_")).length).toBe(300);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
