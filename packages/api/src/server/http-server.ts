// Standalone Node HTTP server: /trpc (appRouter, bearer tokens in bodies), /admin/trpc (adminRouter,
// can be switched off), /healthz, /readyz (control database reachable), /metrics (Prometheus,
// behind METRICS_TOKEN).
// A single JSON call (httpLink) is answered directly (direct-call.ts); batches, streams and other
// content types go to tRPC's resolveResponse (no fetch adapter in between, whose extra context
// and header copies showed in the bench's CPU profile). Either way the JSON answer is written as
// one string, so headers and body leave in one socket write.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { STATUS_CODES, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";

import type { AnyTRPCRouter } from "@trpc/server";
import { TRPCError } from "@trpc/server";
import { resolveResponse } from "@trpc/server/http";

import type { Surface } from "../auth/cookies";
import { createRequestContext, createTRPCContext } from "../context";
import { adminRouter, appRouter } from "../root";
import { MAX_BATCH_SIZE } from "../http/request-limits";
import { createMetricsEndpoint } from "../observation/metrics-endpoint";
import type { ApiServices } from "../services";
import { answerDirectCall, directCallOf, setHeaders } from "./direct-call";
import { headersOf, toFetchRequest } from "./node-request";

export interface StandaloneServerOptions {
  services: ApiServices;
  /** Serve /admin/trpc (default true). Turn off on tenant-facing hosts. */
  admin?: boolean;
  /** Largest accepted request body (default 1 MiB). */
  maxBodyBytes?: number;
  /** The /trpc router (default appRouter); an app with its own modules passes composeAppRouter(...). */
  appRouter?: AnyTRPCRouter;
}

export interface StandaloneServer {
  server: Server;
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `/trpc/notes.list,notes.get/` under endpoint `/trpc` -> `notes.list,notes.get`. */
function procedurePath(pathname: string, endpoint: string): string {
  let p = pathname.slice(endpoint.length);
  if (p.startsWith("/")) p = p.slice(1);
  if (p.endsWith("/")) p = p.slice(0, -1);
  return p;
}

async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  setHeaders(res, response.headers);
  // tRPC answers these routes with JSON text (httpLink, no streaming): a string body lets Node
  // send it with the headers in one write, where a Buffer costs a second chunk (writev).
  res.end(await response.text());
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function controlReachable(services: ApiServices): Promise<boolean> {
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 1500).unref());
  return Promise.race([
    services.tenancy.ping().then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
}

export function createStandaloneServer(opts: StandaloneServerOptions): StandaloneServer {
  const { services } = opts;
  const adminEnabled = opts.admin ?? true;
  const maxBodySize = opts.maxBodyBytes ?? 1024 * 1024;
  const serveMetrics = createMetricsEndpoint(services);

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const incoming = req.headers["x-request-id"];
    const reqId =
      typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.headers["x-request-id"] = reqId;
    res.setHeader("x-request-id", reqId);
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    let route = "other";
    res.on("finish", () => {
      services.metrics.observeHttp(route, res.statusCode);
      services.logger.info(
        {
          reqId,
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        "http request",
      );
    });
    try {
      if (path === "/healthz") {
        route = "/healthz";
        return sendJson(res, 200, { status: "ok" });
      }
      if (path === "/readyz") {
        route = "/readyz";
        const ok = await controlReachable(services);
        return sendJson(res, ok ? 200 : 503, {
          status: ok ? "ready" : "control database unreachable",
        });
      }
      if (path === "/metrics") {
        route = "/metrics";
        return await serveMetrics(req, res);
      }
      let surface: Surface | null = null;
      let endpoint = "";
      if (path === "/trpc" || path.startsWith("/trpc/")) {
        surface = "app";
        endpoint = "/trpc";
      } else if (adminEnabled && (path === "/admin/trpc" || path.startsWith("/admin/trpc/"))) {
        surface = "admin";
        endpoint = "/admin/trpc";
      }
      if (!surface) return sendJson(res, 404, { error: "Not found" });
      route = endpoint;
      const router = surface === "admin" ? adminRouter : (opts.appRouter ?? appRouter);
      const ip = req.socket.remoteAddress ?? null;
      const call = directCallOf(
        router,
        req,
        procedurePath(path, endpoint),
        q < 0 ? "" : url.slice(q + 1),
      );
      if (call) {
        const callHeaders = new Headers();
        return await answerDirectCall({
          router,
          call,
          req,
          res,
          maxBodySize,
          resHeaders: callHeaders,
          createContext: () =>
            createRequestContext({
              services,
              surface,
              headers: headersOf(req),
              batchSize: 1,
              resHeaders: callHeaders,
              ip,
              tokenTransport: "body",
            }),
        });
      }
      let request: Request;
      try {
        request = toFetchRequest(req, res, { maxBodySize });
      } catch (err) {
        // An unparseable URL or Host header is the client's mistake, not a server error.
        if (err instanceof TRPCError) return sendJson(res, 400, { error: err.message });
        throw err;
      }
      const resHeaders = new Headers();
      const response = await resolveResponse({
        router,
        req: request,
        path: procedurePath(path, endpoint),
        error: null,
        maxBatchSize: MAX_BATCH_SIZE,
        createContext: () =>
          Promise.resolve(
            createTRPCContext({
              services,
              surface,
              req: request,
              resHeaders,
              ip,
              tokenTransport: "body",
            }),
          ),
        // What the context and handlers set (x-request-id, retry-after) goes on the response.
        responseMeta: () => ({ headers: resHeaders }),
      });
      await sendResponse(res, response);
    } catch (err) {
      // Never a stack trace in a response; the log has it.
      services.logger.error({ reqId, err }, "unhandled error in http server");
      if (!res.headersSent)
        sendJson(res, 500, { error: "Internal server error", requestId: reqId });
      else res.end();
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  server.on("clientError", answerClientError);
  return {
    server,
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const addr = server.address() as AddressInfo;
          resolve({ port: addr.port, url: `http://${host}:${addr.port}` });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * Node refuses an oversized request line or headers (431) and an unparsable request (400) before
 * any handler runs. Its default answer then destroys the socket at once, so a client still sending
 * a long query URL gets a connection reset instead of the 431. This answers the same way, but
 * half-closes and drains what the client is still sending, so the answer arrives.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
  const body = JSON.stringify({ error: STATUS_CODES[status] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.resume();
  setTimeout(() => socket.destroy(), 5_000).unref();
}
