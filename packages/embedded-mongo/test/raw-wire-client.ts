import net from "node:net";
import { deserialize, serialize, type Document } from "bson";

// A minimal wire-protocol client for sending hand-made (and deliberately broken) messages.

let requestId = 1;

export function opMsg(body: Document, sequences: [string, Document[]][] = [], flags = 0): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  for (const [id, docs] of sequences) {
    const payload = Buffer.concat([
      Buffer.from(id + "\0"),
      ...docs.map((d) => Buffer.from(serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    parts.push(Buffer.from([1]), size, payload);
  }
  const sections = Buffer.concat(parts);
  const header = Buffer.alloc(20);
  header.writeInt32LE(20 + sections.length, 0);
  header.writeInt32LE(requestId++, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(flags, 16);
  return Buffer.concat([header, sections]);
}

export function opQuery(ns: string, query: Document): Buffer {
  const body = Buffer.concat([
    Buffer.from(ns + "\0"),
    Buffer.alloc(8),
    Buffer.from(serialize(query)),
  ]);
  const header = Buffer.alloc(20);
  header.writeInt32LE(20 + body.length, 0);
  header.writeInt32LE(requestId++, 4);
  header.writeInt32LE(2004, 12);
  header.writeInt32LE(0, 16);
  body.writeInt32LE(-1, ns.length + 1 + 4);
  return Buffer.concat([header, body]);
}

export class RawConnection {
  private buffered = Buffer.alloc(0);
  private waiting: ((msg: Buffer) => void)[] = [];
  closed = false;
  private readonly closedPromise: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4) {
        const len = this.buffered.readInt32LE(0);
        if (this.buffered.length < len) break;
        const msg = this.buffered.subarray(0, len);
        this.buffered = this.buffered.subarray(len);
        this.waiting.shift()?.(msg);
      }
    });
    socket.on("error", () => undefined);
    this.closedPromise = new Promise((resolve) =>
      socket.once("close", () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  static connect(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  send(buf: Buffer): void {
    if (!this.closed) this.socket.write(buf);
  }

  /** The next reply's document, or "closed" if the server hung up first. */
  async reply(timeoutMs = 5000): Promise<Document | "closed"> {
    const msg = new Promise<Buffer>((resolve) => this.waiting.push(resolve));
    const timeout = new Promise<"timeout">((resolve) =>
      setTimeout(() => resolve("timeout"), timeoutMs).unref(),
    );
    const result = await Promise.race([
      msg,
      this.closedPromise.then(() => "closed" as const),
      timeout,
    ]);
    if (result === "timeout") throw new Error("no reply");
    if (result === "closed") return "closed";
    const opCode = result.readInt32LE(12);
    return deserialize(result.subarray(opCode === 1 ? 36 : 21));
  }

  async request(buf: Buffer): Promise<Document | "closed"> {
    this.send(buf);
    return this.reply();
  }

  close(): void {
    this.socket.destroy();
  }
}
