import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { opMsg, opQuery, RawConnection } from "../test/raw-wire-client.js";
import { freshDbName, serverUnderTest, type ServerUnderTest } from "../test/server-under-test.js";

let server: ServerUnderTest;
let port: number;
let client: MongoClient;
const dbName = freshDbName("wire");

beforeAll(async () => {
  server = await serverUnderTest();
  port = Number(
    new URL(server.uri.replace(/^mongodb:\/\//, "http://").split(",")[0] as string).port || 27017,
  );
  client = await new MongoClient(server.uri).connect();
});

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
  await server.stop();
});

/** What a user would notice: another client can still read and write. */
async function stillServing(): Promise<void> {
  const c = client.db(dbName).collection("alive");
  const { insertedId } = await c.insertOne({ at: new Date() });
  expect(await c.findOne({ _id: insertedId })).not.toBeNull();
}

function header(length: number, opCode: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32LE(length, 0);
  b.writeInt32LE(1, 4);
  b.writeInt32LE(0, 8);
  b.writeInt32LE(opCode, 12);
  return b;
}

describe("bad input on the wire", () => {
  it("answers the legacy OP_QUERY handshake with OP_REPLY", async () => {
    const conn = await RawConnection.connect(port);
    const reply = await conn.request(opQuery("admin.$cmd", { isMaster: 1, helloOk: true }));
    expect(reply).toMatchObject({ ok: 1, ismaster: true });
    conn.close();
  });

  it("closes the connection on malformed headers, oversized lengths and unknown opcodes", async () => {
    for (const bad of [header(8, 2013), Buffer.concat([header(26, 9999), Buffer.alloc(10)])]) {
      const conn = await RawConnection.connect(port);
      expect(await conn.request(bad)).toBe("closed");
    }
    // A length over maxMessageSizeBytes is answered with the reason, then the socket is closed.
    const conn = await RawConnection.connect(port);
    expect(await conn.request(header(49_000_000, 2013))).toMatchObject({
      ok: 0,
      errmsg: expect.stringMatching(/exceeds maxMessageSizeBytes/),
    });
    expect(await conn.request(header(8, 2013))).toBe("closed");
    await stillServing();
  });

  it("survives truncated messages and sockets closed mid-message", async () => {
    const full = opMsg({ ping: 1, $db: "admin" });
    const conn = await RawConnection.connect(port);
    conn.send(full.subarray(0, full.length - 3));
    conn.close();
    const inner = await RawConnection.connect(port);
    // Declared sections longer than the message itself.
    const lying = Buffer.from(full);
    lying.writeInt32LE(10_000, 21);
    expect(await inner.request(lying)).toBe("closed");
    await stillServing();
  });

  it("rejects invalid BSON with an error, not a crash", async () => {
    const conn = await RawConnection.connect(port);
    const msg = opMsg({ ping: 1, $db: "admin", s: "hello" });
    // Make the string's length prefix point far past the end of the document.
    const at = msg.indexOf(Buffer.from("hello\0"));
    msg.writeInt32LE(1000, at - 4);
    const reply = await conn.request(msg);
    if (reply !== "closed") expect(reply.ok).toBe(0);
    await stillServing();
  });

  it("rejects documents over 16 MB, invalid namespaces and $-prefixed _id fields", async () => {
    const conn = await RawConnection.connect(port);
    const big = { _id: 1, blob: "x".repeat(16 * 1024 * 1024 + 10) };
    const tooBig = await conn.request(
      opMsg({ insert: "big", $db: dbName }, [["documents", [big]]]),
    );
    expect(tooBig).not.toBe("closed");
    const errs = (tooBig as { writeErrors?: { code: number }[]; code?: number }).writeErrors;
    expect(errs?.[0]?.code ?? (tooBig as { code?: number }).code).toBe(10334);
    expect(await client.db(dbName).collection("big").countDocuments()).toBe(0);

    const badDb = await conn.request(
      opMsg({ insert: "c", documents: [{ a: 1 }], $db: "bad.name" }),
    );
    expect(badDb).toMatchObject({ ok: 0, code: 73 });
    const badColl = await conn.request(
      opMsg({ insert: "a$b", documents: [{ a: 1 }], $db: dbName }),
    );
    expect(badColl).toMatchObject({ ok: 0, code: 73 });
    const emptyColl = await conn.request(opMsg({ find: "", $db: dbName }));
    expect(emptyColl).toMatchObject({ ok: 0, code: 73 });
    const dollarId = await conn.request(
      opMsg({ insert: "c", documents: [{ _id: { $bad: 1 } }], $db: dbName }),
    );
    expect((dollarId as { writeErrors?: unknown[] }).writeErrors?.length).toBe(1);
    const noDb = await conn.request(opMsg({ ping: 1 }));
    expect(noDb).toMatchObject({ ok: 0 });
    conn.close();
    await stillServing();
  });

  it("keeps serving other connections through thousands of random and mutated messages", async () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const templates = [
      opMsg({ hello: 1, $db: "admin" }),
      opMsg({ find: "fuzz", filter: { a: { $gt: 1 } }, sort: { a: -1 }, $db: dbName }),
      opMsg({ insert: "fuzz", $db: dbName }, [["documents", [{ a: 1, b: [1, 2, { c: "x" }] }]]]),
      opMsg({
        update: "fuzz",
        updates: [{ q: { a: 1 }, u: { $inc: { a: 1 } }, upsert: true }],
        $db: dbName,
      }),
      opMsg({
        aggregate: "fuzz",
        pipeline: [{ $group: { _id: "$a", n: { $sum: 1 } } }],
        cursor: {},
        $db: dbName,
      }),
      opMsg({ createIndexes: "fuzz", indexes: [{ key: { a: 1 }, name: "a_1" }], $db: dbName }),
      opQuery("admin.$cmd", { isMaster: 1 }),
    ];
    const mutate = (): Buffer => {
      const kind = rand(5);
      if (kind === 0) {
        // Pure noise with a plausible length prefix.
        const len = 16 + rand(200);
        const b = Buffer.alloc(len);
        for (let i = 0; i < len; i++) b[i] = rand(256);
        b.writeInt32LE(len, 0);
        return b;
      }
      const t = Buffer.from(templates[rand(templates.length)] as Buffer);
      const flips = 1 + rand(6);
      for (let i = 0; i < flips; i++) t[4 + rand(t.length - 4)] = rand(256);
      if (kind === 1) t.writeInt32LE(t.length, 0); // consistent framing, corrupt content
      if (kind === 2) return t.subarray(0, rand(t.length)); // truncated
      return t;
    };
    let sent = 0;
    const workers = Array.from({ length: 4 }, async () => {
      let conn = await RawConnection.connect(port);
      for (let i = 0; i < 750; i++) {
        if (conn.closed) conn = await RawConnection.connect(port);
        conn.send(mutate());
        sent++;
        if (i % 50 === 0) {
          // Let the server breathe and check a clean connection meanwhile.
          const probe = await RawConnection.connect(port);
          expect(await probe.request(opMsg({ ping: 1, $db: "admin" }))).toMatchObject({ ok: 1 });
          probe.close();
        }
      }
      conn.close();
    });
    await Promise.all(workers);
    expect(sent).toBe(3000);
    await stillServing();
  });
});
