// The fetch-adapter handler for Next.js App Router route handlers (`app/api/trpc/[trpc]/route.ts`).
// Browsers get tokens as httpOnly cookies by default, never in response bodies.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import type { Surface } from "../auth/cookies";
import type { TokenTransport } from "../context";
import { createTRPCContext } from "../context";
import { adminRouter, appRouter } from "../root";
import type { ApiServices } from "../services";

export interface NextRouteHandlerOptions {
  /** The services, or a function resolving them (lets the app build them lazily once). */
  services: ApiServices | (() => Promise<ApiServices>);
  /** "app" mounts appRouter (apps/web); "admin" mounts adminRouter (apps/admin only). */
  surface?: Surface;
  /** Path the handler is mounted at, e.g. "/api/trpc". */
  endpoint: string;
  tokenTransport?: TokenTransport;
  /** Client IP for rate limiting; default: X-Forwarded-For when services trust the proxy. */
  getIp?: (req: Request) => string | null;
}

export function createNextRouteHandler(
  opts: NextRouteHandlerOptions,
): (req: Request) => Promise<Response> {
  const surface = opts.surface ?? "app";
  return async (req) => {
    const services = typeof opts.services === "function" ? await opts.services() : opts.services;
    const router = surface === "admin" ? adminRouter : appRouter;
    return fetchRequestHandler({
      endpoint: opts.endpoint,
      req,
      router,
      createContext: ({ resHeaders }) =>
        createTRPCContext({
          services,
          surface,
          req,
          resHeaders,
          ip: opts.getIp?.(req) ?? null,
          tokenTransport: opts.tokenTransport ?? "cookie",
        }),
    });
  };
}
