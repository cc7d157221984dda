// IncomingMessage -> fetch Request for tRPC's fetch handler. Same result as tRPC's
// incomingMessageToRequest (URL, headers, body capped at maxBodySize -> PAYLOAD_TOO_LARGE, abort on
// disconnect), but the abort signal fires only when the client leaves before the response is
// finished: tRPC's version aborts on every 'close', which costs an abort event (and a DOMException)
// on every completed request.
import type { IncomingMessage, ServerResponse } from "node:http";

import { TRPCError } from "@trpc/server";

function bodyStream(req: IncomingMessage, maxBodySize: number): ReadableStream<Uint8Array> {
  let size = 0;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const stop = () => {
        done = true;
        req.off("data", onData);
        req.off("end", onEnd);
      };
      function onData(chunk: Buffer) {
        size += chunk.length;
        if (size <= maxBodySize) {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          return;
        }
        controller.error(new TRPCError({ code: "PAYLOAD_TOO_LARGE" }));
        stop();
      }
      function onEnd() {
        if (done) return;
        stop();
        controller.close();
      }
      req.on("data", onData);
      req.on("end", onEnd);
    },
    cancel() {
      req.destroy();
    },
  });
}

export function headersOf(req: IncomingMessage): Headers {
  // From req.headers, not rawHeaders: the server normalises x-request-id there before this runs.
  const headers = new Headers();
  const incoming = req.headers;
  for (const key in incoming) {
    const value = incoming[key];
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else if (value !== undefined) headers.append(key, value);
  }
  return headers;
}

export function toFetchRequest(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { maxBodySize: number },
): Request {
  const ac = new AbortController();
  const onClose = () => {
    req.off("aborted", onClose);
    res.off("close", onClose);
    if (!res.writableFinished) ac.abort();
  };
  res.once("close", onClose);
  req.once("aborted", onClose);
  let url: URL;
  try {
    url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  } catch (cause) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid URL", cause });
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method ?? "GET",
    headers: headersOf(req),
    signal: ac.signal,
    ...(hasBody ? { body: bodyStream(req, opts.maxBodySize), duplex: "half" as const } : {}),
  };
  return new Request(url, init);
}
