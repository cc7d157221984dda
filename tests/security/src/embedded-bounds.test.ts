import net from "node:net";
import { startEmbeddedMongo, type EmbeddedMongo } from "@tenantry/embedded-mongo";
import { BSON, MongoClient, type Document } from "mongodb";
import { afterEach, describe, expect, it } from "vitest";

// Issue 13, item 12: the embedded MongoDB server bounds what one client can make it hold — a
// connection cap, an idle timeout, a cap on one message's size with a clear error, and
// back-pressure on replies (it stops reading a socket whose replies are not being read).

let requestId = 1;
function opMsg(body: Document): Buffer {
  const doc = Buffer.from(BSON.serialize(body));
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + doc.length, 0);
  header.writeInt32LE(requestId++, 4);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, doc]);
}

/** A socket that collects complete replies (decoded bodies) and notices when it is closed. */
class Raw {
  private buf = Buffer.alloc(0);
  readonly replies: Document[] = [];
  closed = false;
  private constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      while (this.buf.length >= 4 && this.buf.length >= this.buf.readInt32LE(0)) {
        const len = this.buf.readInt32LE(0);
        this.replies.push(BSON.deserialize(this.buf.subarray(21, len)));
        this.buf = this.buf.subarray(len);
      }
    });
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => undefined);
  }
  static async connect(port: number, opts: { paused?: boolean } = {}): Promise<Raw> {
    const socket = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const raw = new Raw(socket);
    if (opts.paused) socket.pause();
    return raw;
  }
  async until(check: () => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

let server: EmbeddedMongo | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.stop();
  server = undefined;
});

async function raw(port: number, opts?: { paused?: boolean }): Promise<Raw> {
  const r = await Raw.connect(port, opts);
  sockets.push(r.socket);
  return r;
}

describe("embedded server resource bounds", () => {
  it("refuses connections over the cap with a clear error and keeps serving the others", async () => {
    server = await startEmbeddedMongo({ maxConnections: 3 });
    const open = await Promise.all([raw(server.port), raw(server.port), raw(server.port)]);
    const extra = await raw(server.port);
    extra.socket.write(opMsg({ hello: 1, $db: "admin" }));
    await extra.until(() => extra.closed);
    expect(extra.replies[0]).toMatchObject({
      ok: 0,
      errmsg: expect.stringMatching(/too many open connections \(maxConnections 3\)/),
    });
    const first = open[0];
    first.socket.write(opMsg({ ping: 1, $db: "admin" }));
    await first.until(() => first.replies.length === 1);
    expect(first.replies[0]).toMatchObject({ ok: 1 });
    // Once one closes, a new connection is accepted again.
    first.socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const again = await raw(server.port);
    again.socket.write(opMsg({ ping: 1, $db: "admin" }));
    await again.until(() => again.replies.length === 1);
    expect(again.replies[0]).toMatchObject({ ok: 1 });
  });

  it("closes a connection that stays idle past the idle timeout", async () => {
    server = await startEmbeddedMongo({ idleTimeoutMs: 300 });
    const idle = await raw(server.port);
    const busy = await raw(server.port);
    const started = Date.now();
    const pings = setInterval(() => busy.socket.write(opMsg({ ping: 1, $db: "admin" })), 100);
    try {
      await idle.until(() => idle.closed, 5000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      await new Promise((r) => setTimeout(r, 400));
      expect(busy.closed).toBe(false);
    } finally {
      clearInterval(pings);
    }
  });

  it("answers a message over maxMessageSizeBytes with an error instead of buffering it", async () => {
    server = await startEmbeddedMongo();
    const client = await new MongoClient(server.uri).connect();
    try {
      const { maxMessageSizeBytes } = await client.db("admin").command({ hello: 1 });
      const big = await raw(server.port);
      const header = Buffer.alloc(21);
      header.writeInt32LE(maxMessageSizeBytes + 1, 0);
      header.writeInt32LE(77, 4);
      header.writeInt32LE(2013, 12);
      big.socket.write(header);
      await big.until(() => big.closed);
      expect(big.replies[0]).toMatchObject({
        ok: 0,
        errmsg: `message of ${maxMessageSizeBytes + 1} bytes exceeds maxMessageSizeBytes (${maxMessageSizeBytes})`,
      });
      // Everyone else is unaffected.
      expect((await client.db("admin").command({ ping: 1 })).ok).toBe(1);
    } finally {
      await client.close();
    }
  });

  it("stops reading a socket whose replies are not read, and resumes when they are", async () => {
    server = await startEmbeddedMongo({ maxPendingBytesPerConnection: 1024 * 1024 });
    const client = await new MongoClient(server.uri).connect();
    try {
      const db = client.db("bounds");
      await db.collection("big").insertOne({ _id: 1 as never, blob: "x".repeat(1024 * 1024) });
      const slow = await raw(server.port, { paused: true });
      const requests = 60;
      // Each pair: a 1 MB reply nobody reads, then an insert that shows how far the server got.
      const pipeline = [];
      for (let i = 0; i < requests; i++) {
        pipeline.push(opMsg({ find: "big", filter: {}, $db: "bounds" }));
        pipeline.push(opMsg({ insert: "markers", documents: [{ i }], $db: "bounds" }));
      }
      slow.socket.write(Buffer.concat(pipeline));
      await new Promise((r) => setTimeout(r, 1000));
      const seen = await db.collection("markers").countDocuments();
      expect(seen).toBeLessThan(requests / 2);
      // Reading the replies lets the server go on to the end.
      slow.socket.resume();
      await slow.until(() => slow.replies.length === requests * 2, 60_000);
      expect(await db.collection("markers").countDocuments()).toBe(requests);
    } finally {
      await client.close();
    }
  });
});
