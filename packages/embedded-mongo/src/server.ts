import net from "node:net";
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

/** Accepts connections and answers each socket's messages in order. */
export async function listen(engine: Engine, host: string, port: number): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  let nextConnectionId = 1;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const conn = {
      id: nextConnectionId++,
      remote: `${socket.remoteAddress ?? "127.0.0.1"}:${socket.remotePort ?? 0}`,
    };
    const chunks: Buffer[] = [];
    let buffered = 0;
    let queue = Promise.resolve();
    let closed = false;

    const fail = (): void => {
      closed = true;
      socket.destroy();
    };

    const handle = async (msg: Buffer): Promise<void> => {
      if (closed) return;
      const requestId = msg.readInt32LE(4);
      let req: CommandRequest;
      try {
        req = decodeMessage(msg);
      } catch (err) {
        if (err instanceof ProtocolError && !err.fatal) {
          const reply = new CommandError(ErrorCodes.InvalidBSON, err.message).toReply();
          socket.write(encodeOpMsgReply(requestId, reply));
          return;
        }
        fail();
        return;
      }
      const reply = await engine.run(req, conn);
      if (closed || req.moreToCome) return;
      try {
        socket.write(
          req.kind === "query"
            ? encodeOpReply(requestId, reply)
            : encodeOpMsgReply(requestId, reply),
        );
      } catch (err) {
        // A reply that cannot be serialised (e.g. over 16 MB) becomes an error reply.
        const e = new CommandError(
          ErrorCodes.BSONObjectTooLarge,
          `reply could not be encoded: ${(err as Error).message}`,
        ).toReply();
        socket.write(
          req.kind === "query" ? encodeOpReply(requestId, e) : encodeOpMsgReply(requestId, e),
        );
      }
    };

    socket.on("data", (chunk: Buffer) => {
      if (closed) return;
      chunks.push(chunk);
      buffered += chunk.length;
      while (buffered >= 4) {
        const head = chunks[0] as Buffer;
        if (head.length < 4) {
          chunks.splice(0, chunks.length, Buffer.concat(chunks));
          continue;
        }
        const length = head.readInt32LE(0);
        if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
          fail();
          return;
        }
        if (buffered < length) return;
        const all = head.length >= length ? head : Buffer.concat(chunks);
        const msg = all.subarray(0, length);
        const rest = all.subarray(length);
        chunks.length = 0;
        if (rest.length > 0) chunks.push(rest);
        buffered -= length;
        queue = queue.then(() => handle(msg)).catch(() => fail());
      }
    });
    socket.on("error", () => fail());
    socket.on("close", () => {
      closed = true;
      sockets.delete(socket);
    });
  });
  engine.info.connections = () => sockets.size;
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
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
