// tRPC context in two parts: the inner context holds no request objects (tests and server-side
// callers build it directly); the outer one reads a fetch Request once per batch.
import { randomUUID } from "node:crypto";

import type { Logger } from "pino";

import type { Surface } from "./auth/cookies";
import { COOKIE_NAMES, parseCookies } from "./auth/cookies";
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

/** Outer context for the fetch adapter (Next route handlers and the standalone server). */
export function createTRPCContext(opts: {
  services: ApiServices;
  surface: Surface;
  req: Request;
  resHeaders: Headers;
  ip?: string | null;
  tokenTransport?: TokenTransport;
}): Context {
  const { req, services } = opts;
  const forwarded = services.config.trustProxy
    ? req.headers.get("x-forwarded-for")?.split(",")[0]?.trim()
    : undefined;
  const ctx = createInnerTRPCContext({
    services,
    surface: opts.surface,
    headers: req.headers,
    resHeaders: opts.resHeaders,
    ip: forwarded ?? opts.ip ?? null,
    ...(opts.tokenTransport ? { tokenTransport: opts.tokenTransport } : {}),
  });
  opts.resHeaders.set("x-request-id", ctx.requestId);
  return ctx;
}
