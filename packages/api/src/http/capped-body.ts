// Request bodies read at most `max` bytes, as the standalone server's node-request.ts does: the
// read fails with PAYLOAD_TOO_LARGE, which tRPC answers with 413 in its own error shape. A declared
// Content-Length over the cap fails before a byte is read; a body that grows past it while
// streaming (chunked, or a lying length) fails at the chunk that crosses it.
import { TRPCError } from "@trpc/server";

export function cappedBody(req: Request, max: number): Request {
  if (!req.body) return req;
  const error = () =>
    new TRPCError({
      code: "PAYLOAD_TOO_LARGE",
      message: `Request body is larger than ${Math.floor(max / 1024)} KiB`,
    });
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  let body: ReadableStream<Uint8Array>;
  if (Number.isFinite(declared) && declared > max) {
    void req.body.cancel().catch(() => undefined);
    body = new ReadableStream({ start: (controller) => controller.error(error()) });
  } else {
    let size = 0;
    body = req.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          if (size > max) controller.error(error());
          else controller.enqueue(chunk);
        },
      }),
    );
  }
  return new Request(req, { body, duplex: "half" } as RequestInit & { duplex: "half" });
}
