// The bench's floor: a Node TCP server that does no database work. It answers the driver's
// handshake and first `find` / `insert` with the real engine (in memory), then answers every
// later find or insert with a copy of that first reply, only its responseTo changed. What it
// costs per operation is what any Node server on net.Socket pays for a request before doing
// anything: the epoll wake-up, the socket read and Node's stream machinery to the 'data'
// handler, framing, and the socket write. Prints its URI like scripts/start.ts.
import net from "node:net";
import { Catalog } from "../src/catalog.js";
import { Engine } from "../src/engine.js";
import { decodeMessage, encodeOpMsgReply, encodeOpReply } from "../src/wire-protocol.js";

const info = {
  host: "127.0.0.1",
  port: 0, // set once listening: hello names this host and port as the replica set's member
  startedAt: Date.now(),
  connections: () => 0,
  connectionList: () => [],
  maxConnections: 1000,
};
const engine = new Engine(new Catalog(undefined), info);
const canned = new Map<string, Buffer>();
const CANNED_COMMANDS = new Set(["find", "insert"]);

function answer(msg: Buffer): Buffer | undefined {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  // OP_MSG's first section is the command; its first key names it (bytes 21.. are its first element).
  const name = opCode === 2013 ? msg.toString("latin1", 26, msg.indexOf(0, 26)) : "";
  const cached = canned.get(name);
  if (cached) {
    const out = Buffer.allocUnsafe(cached.length);
    cached.copy(out);
    out.writeInt32LE(requestId, 8);
    return out;
  }
  const req = decodeMessage(msg);
  const reply = engine.run(req, { id: 1, remote: "floor" });
  if (reply instanceof Promise) throw new Error("the floor server is in memory only");
  const out = (req.kind === "query" ? encodeOpReply : encodeOpMsgReply)(requestId, reply);
  if (CANNED_COMMANDS.has(name) && reply.ok === 1) canned.set(name, out);
  return req.moreToCome ? undefined : out;
}

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let rest: Buffer | undefined;
  socket.on("data", (chunk: Buffer) => {
    let buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    rest = undefined;
    while (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
      const length = buf.readInt32LE(0);
      const reply = answer(buf.subarray(0, length));
      if (reply) socket.write(reply);
      buf = buf.subarray(length);
    }
    if (buf.length > 0) rest = buf;
  });
  socket.on("error", () => socket.destroy());
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as net.AddressInfo;
  info.port = port;
  console.log(`mongodb://127.0.0.1:${port}`);
});
process.on("SIGTERM", () => process.exit(0));
