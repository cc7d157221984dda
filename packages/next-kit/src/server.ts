// The server side both apps share, for one surface ("app" or "admin"): the services held once per
// process, the server-side caller and the tRPC prefetch for server components, the tRPC route and
// the session refresh route.
// Server-only: it holds the api's runtime.
import "server-only";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { FetchQueryOptions } from "@tanstack/react-query";
import {
  adminRouter,
  appRouter,
  COOKIE_NAMES,
  createAdminCaller,
  createAppCaller,
  createNextRouteHandler,
  createServerContext,
  forwardedClientIp,
} from "@tenantry/api";
import type { AdminRouter, ApiServices, AppRouter, InnerContextOptions } from "@tenantry/api";
import { safeNext } from "@tenantry/ui/safe-next";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache, createElement } from "react";
import type { ReactNode } from "react";
import superjson from "superjson";

import { QUERY_STALE_TIME } from "./query-defaults";
import { redirectTo } from "./redirect-to";
import { serverError } from "./server-error";
import { TRPC_ENDPOINT } from "./trpc-endpoint";

export { redirectTo } from "./redirect-to";
export { serverError } from "./server-error";

type Surface = keyof typeof COOKIE_NAMES;
type CallerOf<S extends Surface> = S extends "admin"
  ? ReturnType<typeof createAdminCaller>
  : ReturnType<typeof createAppCaller>;
type RouterOf<S extends Surface> = S extends "admin" ? AdminRouter : AppRouter;

interface SurfaceOptions<S extends Surface> {
  surface: S;
  getServices: () => Promise<ApiServices>;
  /** Where a suspended tenant is sent instead of an error screen (the tenant app only). */
  suspendedPath?: string;
  /** Where a signed-in person who must first set up two-factor sign-in is sent (TWO_FACTOR_REQUIRED). */
  enrolPath?: string;
}

function callerFor<S extends Surface>(
  surface: S,
  options: Omit<InnerContextOptions, "surface">,
): CallerOf<S> {
  const caller = surface === "admin" ? createAdminCaller(options) : createAppCaller(options);
  return caller as CallerOf<S>;
}

/**
 * One tenancy (connection pools, registry cache) and one set of api services per server process;
 * kept on globalThis so dev-mode module reloads do not open new pools.
 */
export function servicesHolder(
  surface: Surface,
  create: () => Promise<ApiServices>,
): () => Promise<ApiServices> {
  const holder = globalThis as unknown as Record<string, Promise<ApiServices> | undefined>;
  const key = `__tenantry_${surface}_services`;
  return () => {
    holder[key] ??= create().catch((err: unknown) => {
      holder[key] = undefined; // let the next request retry (e.g. database still starting)
      throw err;
    });
    return holder[key];
  };
}

/** The server-side caller for server components: same procedures, same cookies, no HTTP hop. */
export function createPageCaller<S extends Surface>(opts: SurfaceOptions<S>) {
  const getCaller = cache(async () => {
    const [services, h] = await Promise.all([opts.getServices(), headers()]);
    return callerFor(opts.surface, { services, headers: h, tokenTransport: "cookie" });
  });

  /**
   * Runs a server-side call for a signed-in page; a lost session goes through refresh to login
   * (and a suspended tenant to its page) instead of an error screen.
   */
  async function callOrRedirect<T>(fn: (caller: CallerOf<S>) => Promise<T>): Promise<T> {
    const caller = await getCaller();
    try {
      return await fn(caller);
    } catch (err) {
      const info = serverError(err);
      if (opts.suspendedPath && info.reason === "TENANT_SUSPENDED") redirect(opts.suspendedPath);
      if (opts.enrolPath && info.reason === "TWO_FACTOR_REQUIRED") redirect(opts.enrolPath);
      if (info.code === "UNAUTHORIZED") {
        const path = (await headers()).get("x-pathname") ?? "/";
        redirect(`/session/refresh?next=${encodeURIComponent(path)}`);
      }
      throw err;
    }
  }

  return { getCaller, callOrRedirect };
}

/**
 * tRPC's query options for server components (`createTRPCOptionsProxy`, no HTTP hop) and the
 * per-request query client they fill. A page awaits `prefetch(trpc.x.y.queryOptions(input))` and
 * wraps the client component in `<HydrateClient>`: the component's `useQuery` with the same
 * options then starts with that data instead of a loading state and a request. A failed prefetch
 * is not sent along, so the browser asks again and its global error handler applies as before.
 */
export function createPagePrefetch<S extends Surface>(
  opts: Omit<SurfaceOptions<S>, "suspendedPath">,
) {
  // One per request (React's cache is per server render), never shared across users.
  const getQueryClient = cache(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: QUERY_STALE_TIME },
          dehydrate: { serializeData: superjson.serialize },
        },
      }),
  );
  const getContext = cache(async () => {
    const [services, h] = await Promise.all([opts.getServices(), headers()]);
    return createServerContext(opts.surface, { services, headers: h, tokenTransport: "cookie" });
  });
  const router = (opts.surface === "admin" ? adminRouter : appRouter) as RouterOf<S>;
  const trpc = createTRPCOptionsProxy<RouterOf<S>>({
    router,
    ctx: getContext,
    queryClient: getQueryClient,
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any procedure's options
  async function prefetch(...queries: FetchQueryOptions<any, any, any, any>[]): Promise<void> {
    const client = getQueryClient();
    await Promise.all(queries.map((q) => client.prefetchQuery(q)));
  }

  function HydrateClient({ children }: { children: ReactNode }) {
    return createElement(HydrationBoundary, { state: dehydrate(getQueryClient()) }, children);
  }

  return { trpc, prefetch, HydrateClient };
}

/** The handler of the app's tRPC route: this surface's router only, tokens in cookies. */
export function createTrpcRoute(opts: Omit<SurfaceOptions<Surface>, "suspendedPath">) {
  return createNextRouteHandler({
    services: opts.getServices,
    surface: opts.surface,
    endpoint: TRPC_ENDPOINT,
    tokenTransport: "cookie",
  });
}

/**
 * The POST handler of /api/session/refresh. Pages land there when the access token is missing or
 * expired: it rotates the refresh token with the api's own refresh procedure (which sets fresh
 * cookies) and goes back, or goes to the login page with the cookies cleared. POST only (Next
 * answers a GET 405): rotating the token changes state. /session/refresh is the page that
 * submits here; a cross-site form post carries no SameSite=Lax cookie and fails.
 */
export function createRefreshRoute<S extends Surface>(opts: SurfaceOptions<S>) {
  const cookies = COOKIE_NAMES[opts.surface];
  return async function POST(req: Request): Promise<Response> {
    const form = await req.formData().catch(() => null);
    const posted = form?.get("next");
    const next = safeNext(typeof posted === "string" ? posted : undefined);
    const resHeaders = new Headers();
    const caller = callerFor(opts.surface, {
      services: await opts.getServices(),
      headers: req.headers,
      resHeaders,
      // As the tRPC route takes it: refresh limits count per client address.
      ip: forwardedClientIp(req.headers),
      tokenTransport: "cookie",
    });
    try {
      await caller.auth.refresh({});
    } catch (err) {
      if (opts.suspendedPath && serverError(err).reason === "TENANT_SUSPENDED") {
        return redirectTo(opts.suspendedPath, 303);
      }
      const out = redirectTo(`/login?next=${encodeURIComponent(next)}`, 303);
      out.cookies.delete(cookies.access);
      out.cookies.delete(cookies.refresh);
      return out;
    }
    const out = redirectTo(next, 303);
    for (const c of resHeaders.getSetCookie()) out.headers.append("set-cookie", c);
    return out;
  };
}
