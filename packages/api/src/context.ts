// tRPC context in two parts: the inner context holds no request objects (tests and server-side
// callers build it directly); the outer one reads a fetch Request once per batch.
import { randomUUID } from "node:crypto";

import { TRPCError } from "@trpc/server";
import type { Logger } from "pino";

import type { Surface } from "./auth/cookies";
import { COOKIE_NAMES, parseCookies } from "./auth/cookies";
import { MAX_BATCH_SIZE } from "./http/request-limits";
import type { ApiServices } from "./services";

/**
 * How tokens travel: "cookie" (browsers via the Next handler: set as httpOnly cookies, never in
 * the response body), "body" (other programs: returned in the body, sent back as bearer tokens),
 * or "both".
 */
export type TokenTransport = "cookie" | "body" | "both";

export interface InnerContextOptions {
  services: ApiServices;
  surface: Surface;
  headers?: Headers;
  resHeaders?: Headers;
  ip?: string | null;
  /** Calls in the HTTP request this call came in (1 unless batched). */
  batchSize?: number;
  requestId?: string;
  tokenTransport?: TokenTransport;
  /**
   * "trusted" skips the CSRF check: for server-side callers, whose entry point (e.g. a Next server
   * action, which checks Origin itself) is not a cross-site-reachable tRPC endpoint.
   */
  csrf?: "enforce" | "trusted";
}

export interface Credentials {
  token: string | null;
  source: "bearer" | "cookie" | null;
}

function headerCredentials(headers: Headers, surface: Surface): Credentials {
  const auth = headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    return { token: m?.[1] ?? "", source: "bearer" };
  }
  const cookie = parseCookies(headers.get("cookie")).get(COOKIE_NAMES[surface].access);
  return cookie ? { token: cookie, source: "cookie" } : { token: null, source: null };
}

function tenantNamedBy(headers: Headers, services: ApiServices): string | null {
  const header = headers.get("x-tenant")?.trim().toLowerCase();
  if (header) return header;
  const suffix = services.config.tenantHostSuffix?.toLowerCase();
  if (!suffix) return null;
  const rawHost =
    (services.config.trustProxy ? headers.get("x-forwarded-host") : null) ?? headers.get("host");
  const host = rawHost?.split(",")[0]?.trim().toLowerCase().replace(/:\d+$/, "");
  if (!host?.endsWith(suffix)) return null;
  const sub = host.slice(0, -suffix.length).replace(/\.$/, "");
  return sub && !sub.includes(".") ? sub : null;
}

/** A mutation authenticated by cookie must prove it came from our own pages (see docs). */
function csrfOk(headers: Headers, services: ApiServices): boolean {
  if (headers.get("x-tenantry-csrf") !== "1") return false;
  const origin = headers.get("origin");
  if (!origin || origin === "null") return origin !== "null";
  const allowed = services.config.allowedOrigins ?? [];
  if (allowed.includes(origin)) return true;
  try {
    const host =
      (services.config.trustProxy ? headers.get("x-forwarded-host") : null) ?? headers.get("host");
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function createInnerTRPCContext(opts: InnerContextOptions) {
  const headers = opts.headers ?? new Headers();
  const requestId =
    opts.requestId ??
    (/^[A-Za-z0-9._-]{1,64}$/.test(headers.get("x-request-id") ?? "")
      ? (headers.get("x-request-id") as string)
      : randomUUID());
  const transport = opts.tokenTransport ?? "body";
  const credentials = headerCredentials(headers, opts.surface);
  const log: Logger = opts.services.logger.child({ reqId: requestId });
  return {
    services: opts.services,
    surface: opts.surface,
    headers,
    resHeaders: opts.resHeaders ?? new Headers(),
    ip: opts.ip ?? null,
    batchSize: opts.batchSize ?? 1,
    userAgent: headers.get("user-agent")?.slice(0, 300) ?? null,
    requestId,
    log,
    transport,
    credentials,
    namedTenantSlug: tenantNamedBy(headers, opts.services),
    // Mutations need the CSRF proof whenever cookies could have authenticated them.
    csrfRequired:
      opts.csrf !== "trusted" &&
      (credentials.source === "cookie" || (credentials.source === null && transport !== "body")),
    csrfOk: csrfOk(headers, opts.services),
    /** Filled in by the tenant middleware so the log line of the call carries the tenant. */
    state: { tenantId: null as string | null },
  };
}

export type Context = ReturnType<typeof createInnerTRPCContext>;

/**
 * The address the nearest proxy saw: the right-most X-Forwarded-For entry. Caddy replaces the
 * header and nginx's $proxy_add_x_forwarded_for appends to it, so with one trusted proxy in front
 * the right-most entry is the one no client can choose.
 */
export function forwardedClientIp(headers: Headers): string | null {
  const entries = headers.get("x-forwarded-for")?.split(",") ?? [];
  const last = entries[entries.length - 1]?.trim();
  return last ? last.slice(0, 64) : null;
}

/** How many calls a tRPC request carries: tRPC's own count when given, else from its URL. */
function callsInRequest(req: Request, info: { calls: readonly unknown[] } | undefined): number {
  if (info) return info.calls.length;
  const url = new URL(req.url);
  if (url.searchParams.get("batch") !== "1") return 1;
  return (url.pathname.split("/").pop() ?? "").split(",").length;
}

/** Outer context for the fetch adapter (Next route handlers and the standalone server). */
export function createTRPCContext(opts: {
  services: ApiServices;
  surface: Surface;
  req: Request;
  resHeaders: Headers;
  /** The socket's address; ignored when the services trust the proxy's X-Forwarded-For. */
  ip?: string | null;
  tokenTransport?: TokenTransport;
  /** tRPC's request info (createContext's `info`), for the batch size. */
  info?: { calls: readonly unknown[] };
}): Context {
  const { req, info, ...rest } = opts;
  return createRequestContext({
    ...rest,
    headers: req.headers,
    batchSize: callsInRequest(req, info),
  });
}

/** The outer context from a request's headers and its number of calls. */
export function createRequestContext(opts: {
  services: ApiServices;
  surface: Surface;
  headers: Headers;
  batchSize: number;
  resHeaders: Headers;
  ip?: string | null;
  tokenTransport?: TokenTransport;
}): Context {
  const { services, batchSize } = opts;
  // Also enforced here, not only by fetchRequestHandler's maxBatchSize, so that no server mounting
  // the routers can forget it.
  if (batchSize > MAX_BATCH_SIZE) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `A batch may carry at most ${MAX_BATCH_SIZE} calls; this one has ${batchSize}`,
    });
  }
  const ip = services.config.trustProxy ? forwardedClientIp(opts.headers) : opts.ip;
  const ctx = createInnerTRPCContext({
    services,
    surface: opts.surface,
    headers: opts.headers,
    resHeaders: opts.resHeaders,
    ip: ip ?? null,
    batchSize,
    ...(opts.tokenTransport ? { tokenTransport: opts.tokenTransport } : {}),
  });
  opts.resHeaders.set("x-request-id", ctx.requestId);
  return ctx;
}
