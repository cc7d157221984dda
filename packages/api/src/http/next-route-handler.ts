// The fetch-adapter handler for Next.js App Router route handlers (`app/api/trpc/[trpc]/route.ts`).
// Browsers get tokens as httpOnly cookies by default, never in response bodies.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import type { Surface } from "../auth/cookies";
import type { TokenTransport } from "../context";
import { createTRPCContext, forwardedClientIp } from "../context";
import { adminRouter, appRouter } from "../root";
import type { ApiServices } from "../services";
import { cappedBody } from "./capped-body";
import { MAX_BODY_BYTES, TRPC_HANDLER_LIMITS } from "./request-limits";

export interface NextRouteHandlerOptions {
  /** The services, or a function resolving them (lets the app build them lazily once). */
  services: ApiServices | (() => Promise<ApiServices>);
  /** "app" mounts appRouter (apps/web); "admin" mounts adminRouter (apps/admin only). */
  surface?: Surface;
  /** Path the handler is mounted at, e.g. "/api/trpc". */
  endpoint: string;
  tokenTransport?: TokenTransport;
  /**
   * Client IP for rate limiting when the services do not trust a proxy. Default: the
   * X-Forwarded-For that `tenantry-next-serve` (bin/next-serve.mjs) sets to the socket's address.
   */
  getIp?: (req: Request) => string | null;
  /** Largest accepted request body (default 1 MiB, as the standalone server). */
  maxBodyBytes?: number;
}

export function createNextRouteHandler(
  opts: NextRouteHandlerOptions,
): (req: Request) => Promise<Response> {
  const surface = opts.surface ?? "app";
  const getIp = opts.getIp ?? ((req: Request) => forwardedClientIp(req.headers));
  const maxBodyBytes = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  return async (incoming) => {
    const req = cappedBody(incoming, maxBodyBytes);
    if (req instanceof Response) return req;
    const services = typeof opts.services === "function" ? await opts.services() : opts.services;
    const router = surface === "admin" ? adminRouter : appRouter;
    return fetchRequestHandler({
      endpoint: opts.endpoint,
      req,
      router,
      ...TRPC_HANDLER_LIMITS,
      createContext: ({ resHeaders, info }) =>
        createTRPCContext({
          services,
          surface,
          req,
          resHeaders,
          info,
          ip: getIp(req),
          tokenTransport: opts.tokenTransport ?? "cookie",
        }),
    });
  };
}
