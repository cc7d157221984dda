import net from "node:net";
import type { Doc } from "./bson-values.js";
import type { Engine } from "./engine.js";
import { CommandError, ErrorCodes } from "./errors.js";
import {
  decodeMessage,
  encodeOpMsgReply,
  encodeOpReply,
  HEADER_SIZE,
  MAX_MESSAGE_SIZE,
  ProtocolError,
  type CommandRequest,
} from "./wire-protocol.js";

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** Resource bounds per server and per connection (issue: a client must not exhaust the server). */
export interface ConnectionLimits {
  /** Open connections at most; one more is answered with an error and closed. */
  maxConnections: number;
  /** A connection with no traffic for this long is closed (0: never). */
  idleTimeoutMs: number;
  /**
   * Bytes received but not yet answered, per connection. Above it the server stops reading the
   * socket until it catches up, so a client pipelining requests cannot grow its buffer unbounded.
   */
  maxPendingBytes: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  maxConnections: 10_000,
  idleTimeoutMs: 10 * 60_000,
  maxPendingBytes: 64 * 1024 * 1024,
};

type Conn = {
  id: number;
  remote: string;
  /** Idle-timeout sweeps since the last read or write. */
  idleSweeps: number;
};

/** Idle connections are found by one sweep per tenth of the timeout (a timer per socket, re-armed on every read and write, costs more). */
const IDLE_SWEEPS_PER_TIMEOUT = 10;

/** Accepts connections and answers each socket's messages in order. */
export async function listen(
  engine: Engine,
  host: string,
  port: number,
  limits: ConnectionLimits = DEFAULT_LIMITS,
): Promise<RunningServer> {
  const sockets = new Map<net.Socket, Conn>();
  const refused = new Set<net.Socket>();
  let nextConnectionId = 1;
  const server = net.createServer((socket) => {
    const conn: Conn = {
      idleSweeps: 0,
      id: nextConnectionId++,
      remote: `${socket.remoteAddress ?? "127.0.0.1"}:${socket.remotePort ?? 0}`,
    };
    if (sockets.size >= limits.maxConnections) {
      refused.add(socket);
      socket.on("close", () => refused.delete(socket));
      refuse(socket, `too many open connections (maxConnections ${limits.maxConnections})`);
      return;
    }
    sockets.set(socket, conn);
    socket.setNoDelay(true);
    serve(engine, socket, conn, limits);
    socket.on("close", () => sockets.delete(socket));
  });
  const sweep =
    limits.idleTimeoutMs > 0
      ? setInterval(() => {
          for (const [socket, conn] of sockets)
            if (conn.idleSweeps++ >= IDLE_SWEEPS_PER_TIMEOUT) socket.destroy();
        }, limits.idleTimeoutMs / IDLE_SWEEPS_PER_TIMEOUT).unref()
      : undefined;
  server.maxConnections = limits.maxConnections + 1; // the one over the limit gets its error
  engine.info.connections = () => sockets.size;
  engine.info.connectionList = () => [...sockets.values()];
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweep);
        for (const s of [...sockets.keys(), ...refused]) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function errorReply(requestId: number, opCode: number, message: string): Buffer {
  const reply = new CommandError(ErrorCodes.BadValue, message).toReply();
  return opCode === 2004 ? encodeOpReply(requestId, reply) : encodeOpMsgReply(requestId, reply);
}

/** Answers the first message (the handshake) with `message`, then closes: the driver shows it. */
function refuse(socket: net.Socket, message: string): void {
  socket.setTimeout(5000, () => socket.destroy());
  socket.once("data", (chunk: Buffer) => {
    const requestId = chunk.length >= 16 ? chunk.readInt32LE(4) : 0;
    const opCode = chunk.length >= 16 ? chunk.readInt32LE(12) : 2013;
    socket.end(errorReply(requestId, opCode, message));
  });
  socket.on("error", () => socket.destroy());
}

function serve(engine: Engine, socket: net.Socket, conn: Conn, limits: ConnectionLimits): void {
  const chunks: Buffer[] = [];
  let buffered = 0;
  /** Complete messages waiting for their turn, and their total size. */
  const inbox: Buffer[] = [];
  let pending = 0;
  /** A reply is waiting for the disk: later messages wait too, so replies stay in order. */
  let busy = false;
  let writesBlocked = false;
  let closed = false;

  const fail = (): void => {
    closed = true;
    socket.destroy();
  };

  // Back-pressure: while replies are not drained, no further request is answered and the socket
  // is not read; it is not read either while too many received bytes wait for their reply.
  const flow = (): void => {
    if (closed) return;
    if (writesBlocked || pending > limits.maxPendingBytes) socket.pause();
    else socket.resume();
  };
  const send = (buf: Buffer): void => {
    conn.idleSweeps = 0;
    if (!socket.write(buf)) writesBlocked = true;
  };

  const answer = (req: CommandRequest, requestId: number, reply: Doc): void => {
    if (closed || req.moreToCome) return;
    const encode = req.kind === "query" ? encodeOpReply : encodeOpMsgReply;
    try {
      send(encode(requestId, reply));
    } catch (err) {
      // A reply that cannot be serialised (e.g. over 16 MB) becomes an error reply.
      const e = new CommandError(
        ErrorCodes.BSONObjectTooLarge,
        `reply could not be encoded: ${(err as Error).message}`,
      ).toReply();
      send(encode(requestId, e));
    }
  };

  /** Handles one message; a promise only when its reply waits for the disk. */
  const handle = (msg: Buffer): Promise<void> | undefined => {
    const requestId = msg.readInt32LE(4);
    let req: CommandRequest;
    try {
      req = decodeMessage(msg);
    } catch (err) {
      if (err instanceof ProtocolError && !err.fatal) {
        const reply = new CommandError(ErrorCodes.InvalidBSON, err.message).toReply();
        send(encodeOpMsgReply(requestId, reply));
        return undefined;
      }
      fail();
      return undefined;
    }
    const reply = engine.run(req, conn);
    if (reply instanceof Promise) return reply.then((r) => answer(req, requestId, r));
    answer(req, requestId, reply);
    return undefined;
  };

  // Messages are answered one after another, synchronously when nothing waits for the disk.
  const pump = (): void => {
    while (!busy && !writesBlocked && !closed && inbox.length > 0) {
      const msg = inbox.shift() as Buffer;
      let waiting: Promise<void> | undefined;
      try {
        waiting = handle(msg);
      } catch {
        fail();
        return;
      }
      if (waiting) {
        busy = true;
        waiting.then(
          () => {
            busy = false;
            pending -= msg.length;
            pump();
          },
          () => fail(),
        );
        break;
      }
      pending -= msg.length;
    }
    flow();
  };
  socket.on("drain", () => {
    writesBlocked = false;
    pump();
  });

  socket.on("data", (chunk: Buffer) => {
    if (closed) return;
    conn.idleSweeps = 0;
    chunks.push(chunk);
    buffered += chunk.length;
    while (buffered >= 4) {
      const head = chunks[0] as Buffer;
      if (head.length < 16 && buffered >= 16) {
        chunks.splice(0, chunks.length, Buffer.concat(chunks));
        continue;
      }
      if (head.length < 4) {
        chunks.splice(0, chunks.length, Buffer.concat(chunks));
        continue;
      }
      const length = head.readInt32LE(0);
      if (length < HEADER_SIZE) {
        fail();
        return;
      }
      if (length > MAX_MESSAGE_SIZE) {
        // Refused before it is buffered: say why, then close (the rest of it is never read).
        closed = true;
        const requestId = head.length >= 16 ? head.readInt32LE(4) : 0;
        const opCode = head.length >= 16 ? head.readInt32LE(12) : 2013;
        socket.end(
          errorReply(
            requestId,
            opCode,
            `message of ${length} bytes exceeds maxMessageSizeBytes (${MAX_MESSAGE_SIZE})`,
          ),
        );
        return;
      }
      if (buffered < length) break;
      const all = head.length >= length ? head : Buffer.concat(chunks);
      inbox.push(all.subarray(0, length));
      pending += length;
      const rest = all.subarray(length);
      chunks.length = 0;
      if (rest.length > 0) chunks.push(rest);
      buffered -= length;
    }
    pump();
  });
  socket.on("error", () => fail());
  socket.on("close", () => {
    closed = true;
  });
}
