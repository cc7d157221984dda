// One unbatched JSON query or mutation (what httpLink sends, and so every call of
// @tenantry/client) answered without building a fetch Request and Response around it: the same
// procedure call, error shape, status and body as tRPC's resolveResponse, for less CPU per
// request. Why by hand: in the bench's CPU profile the fetch objects and resolveResponse's
// general path (batches, streams, content types, combined abort signals) were about a fifth of
// a notes.list call's CPU (BENCHMARKS.md, scenario 1). Anything else goes to resolveResponse.
import type { IncomingMessage, ServerResponse } from "node:http";

import type { AnyTRPCProcedure, AnyTRPCRouter } from "@trpc/server";
import {
  TRPCError,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  transformTRPCResponse,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";

import type { Context } from "../context";

export interface DirectCall {
  path: string;
  type: "query" | "mutation";
  procedure: AnyTRPCProcedure;
  /** GET's `input` parameter (JSON text), null when absent. */
  queryInput: string | null;
}

const JSON_TYPE = /^application\/json/;
/** A Host that makes a URL; any other goes the general way, which answers 400. */
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The call, when `req` is one JSON query (GET) or mutation (POST) of a known procedure. */
export function directCallOf(
  router: AnyTRPCRouter,
  req: IncomingMessage,
  rawPath: string,
  search: string,
): DirectCall | null {
  const method = req.method;
  if (method !== "GET" && method !== "POST") return null;
  const { headers } = req;
  if (headers.host !== undefined && !PLAIN_HOST.test(headers.host)) return null;
  const contentType = headers["content-type"];
  if (
    method === "POST"
      ? !contentType || !JSON_TYPE.test(contentType)
      : contentType && !JSON_TYPE.test(contentType)
  )
    return null;
  // Streams (httpBatchStreamLink) and subscriptions take tRPC's own path.
  if (headers["trpc-accept"] !== undefined || headers.accept?.includes("application/jsonl"))
    return null;
  const params = new URLSearchParams(search);
  if (params.has("batch") || params.has("connectionParams")) return null;
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure | undefined>;
  const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
  const type = procedure?._def.type;
  if (!procedure || type !== (method === "GET" ? "query" : "mutation")) return null;
  return { path, type, procedure, queryInput: method === "GET" ? params.get("input") : null };
}

function readBody(req: IncomingMessage, maxBodySize: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", reject);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size <= maxBodySize) return void chunks.push(chunk);
      // Node discards the rest of the body once the 413 is written.
      stop();
      reject(new TRPCError({ code: "PAYLOAD_TOO_LARGE" }));
    }
    function onEnd() {
      stop();
      resolve(Buffer.concat(chunks).toString("utf8"));
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}

/** The call's input, read once: tRPC's parse errors (BAD_REQUEST with the parser's message). */
function inputReader(
  router: AnyTRPCRouter,
  call: DirectCall,
  req: IncomingMessage,
  maxBodySize: number,
) {
  let read: Promise<unknown> | null = null;
  let value: { input: unknown } | null = null;
  const parse = async (): Promise<unknown> => {
    const text = call.type === "query" ? call.queryInput : await readBody(req, maxBodySize);
    // A query without input; an empty POST body fails to parse below, with the parser's message.
    if (!text && call.type === "query") return undefined;
    return router._def._config.transformer.input.deserialize(JSON.parse(text ?? ""));
  };
  return {
    getRawInput: async (): Promise<unknown> => {
      if (value) return value.input;
      read ??= parse().catch((cause: unknown) => {
        if (cause instanceof TRPCError) throw cause;
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: cause instanceof Error ? cause.message : "Invalid input",
          cause,
        });
      });
      const input = await read;
      value = { input };
      return input;
    },
    result: () => value?.input,
  };
}

/** Puts fetch Headers on a Node response (each Set-Cookie as its own header line). */
export function setHeaders(res: ServerResponse, headers: Headers): void {
  const cookies = headers.getSetCookie();
  headers.forEach((value, key) => {
    if (key !== "set-cookie") res.setHeader(key, value);
  });
  if (cookies.length) res.setHeader("set-cookie", cookies);
}

function isDataStream(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  if (Symbol.asyncIterator in v) return true;
  return Object.values(v).some(
    (x) =>
      x instanceof Promise || (typeof x === "object" && x !== null && Symbol.asyncIterator in x),
  );
}

/**
 * Runs the call and writes its answer: `{result: {data}}` or `{error}` in the router's output
 * format, tRPC's status for it, and the headers the context set (resHeaders).
 */
export async function answerDirectCall(opts: {
  router: AnyTRPCRouter;
  call: DirectCall;
  req: IncomingMessage;
  res: ServerResponse;
  maxBodySize: number;
  resHeaders: Headers;
  createContext: () => Context;
}): Promise<void> {
  const { router, call, req, res } = opts;
  const config = router._def._config;
  const input = inputReader(router, call, req, opts.maxBodySize);
  // Aborted only when the client leaves before the answer is written.
  const ac = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) ac.abort();
  };
  res.once("close", onClose);
  let ctx: Context | undefined;
  let body: string;
  let status: number;
  const errorShape = (cause: unknown, where: { path: string | undefined; input: unknown }) => {
    const error = getTRPCErrorFromUnknown(cause);
    const shape = getTRPCErrorShape({ config, error, type: call.type, ctx, ...where });
    return { error: shape };
  };
  try {
    let response;
    try {
      ctx = opts.createContext();
      const data: unknown = await call.procedure({
        path: call.path,
        getRawInput: input.getRawInput,
        ctx,
        type: call.type,
        signal: ac.signal,
        batchIndex: 0,
      });
      response = { result: { data } };
    } catch (cause) {
      response = errorShape(cause, { path: call.path, input: input.result() });
    }
    if ("result" in response && isDataStream(response.result.data)) {
      throw new TRPCError({
        code: "UNSUPPORTED_MEDIA_TYPE",
        message:
          "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
      });
    }
    status = getHTTPStatusCode(response);
    body = JSON.stringify(transformTRPCResponse(config, response));
  } catch (cause) {
    // As resolveResponse: a stream-like result, or an output transformer or error formatter
    // that throws, is answered as an error without path or input.
    const response = errorShape(cause, { path: undefined, input: undefined });
    status = getHTTPStatusCode(response);
    body = JSON.stringify(transformTRPCResponse(config, response));
  }
  res.off("close", onClose);
  res.statusCode = status;
  res.setHeader("vary", "trpc-accept, accept");
  res.setHeader("content-type", "application/json");
  setHeaders(res, opts.resHeaders);
  res.end(body);
}
