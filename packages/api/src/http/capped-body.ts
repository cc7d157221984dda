// Request bodies read at most `max` bytes, as the standalone server's node-request.ts does. A
// declared Content-Length over the cap is answered 413 before anything runs; a body that grows
// past it while streaming (chunked, or a lying length) fails the read with PAYLOAD_TOO_LARGE,
// which tRPC answers with 413 too. tRPC reads a body only once a call's middlewares passed.
import { TRPCError } from "@trpc/server";

const message = (max: number) => `Request body is larger than ${Math.floor(max / 1024)} KiB`;

/** The request with its body capped, or the 413 to send when its declared length is too large. */
export function cappedBody(req: Request, max: number): Request | Response {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > max) {
    void req.body.cancel().catch(() => undefined);
    // tRPC's error shape (superjson-wrapped), so clients read it like any other refusal.
    const data = { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, reason: "PAYLOAD_TOO_LARGE" };
    return Response.json(
      { error: { json: { message: message(max), code: -32600, data } } },
      { status: 413, headers: { connection: "close" } },
    );
  }
  let size = 0;
  const body = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > max)
          controller.error(new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: message(max) }));
        else controller.enqueue(chunk);
      },
    }),
  );
  // A streamed body needs duplex "half"; the DOM lib's RequestInit (the apps' typecheck) lacks it.
  const init: RequestInit & { duplex: "half" } = { body, duplex: "half" };
  return new Request(req, init);
}
