// The browser side of tRPC both apps share: one query client with the global "session lost or
// tenant suspended" handler, the links (solo procedures unbatched, the rest batched to the api's
// limit) and the provider. Each app names its router, its public pages and its suspended page.
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MAX_BATCH_SIZE, SOLO_PROCEDURES } from "@tenantry/api/limits";
import { describeApiError, ToastProvider } from "@tenantry/ui";
import { httpBatchLink, httpLink, splitLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import type { CreateTRPCReactBase } from "@trpc/react-query";
import type { AnyRouter } from "@trpc/server";
import { useState } from "react";
import type { ReactNode } from "react";
import superjson from "superjson";

import { isPublicPath } from "./public-paths";
import { stripDirectionLink } from "./strip-direction-link";
import { TRPC_ENDPOINT } from "./trpc-endpoint";

export interface TRPCKitOptions {
  /** Pages a signed-out visitor may open: no global redirect fires on them. */
  publicPaths: readonly string[];
  /** Where a call that finds the tenant suspended sends the page (the tenant app only). */
  suspendedPath?: string;
}

const linkOptions = {
  url: TRPC_ENDPOINT,
  transformer: superjson,
  headers: () => ({ "x-tenantry-csrf": "1" }),
};

function newQueryClient(onError: (err: unknown) => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // Auth and validation failures will not fix themselves on retry.
        retry: (count, err) => {
          const code = describeApiError(err).code;
          return count < 2 && (code === undefined || code === "INTERNAL_SERVER_ERROR");
        },
      },
    },
  });
}

export function createTRPCKit<TRouter extends AnyRouter>(opts: TRPCKitOptions) {
  const api = createTRPCReact<TRouter>();
  // For a router not yet known, TypeScript cannot rule out a procedure named like a built-in
  // (`Provider`); the app's concrete router is checked where the app calls this.
  const base = api as unknown as CreateTRPCReactBase<TRouter, unknown>;

  /** Any call that finds the session gone (or the tenant suspended) moves the whole page on. */
  function onGlobalError(err: unknown) {
    if (typeof window === "undefined") return;
    const path = window.location.pathname;
    if (isPublicPath(opts.publicPaths, path)) return;
    const info = describeApiError(err);
    if (opts.suspendedPath && info.reason === "TENANT_SUSPENDED") {
      window.location.assign(opts.suspendedPath);
    } else if (info.code === "UNAUTHORIZED") {
      window.location.assign(
        `/session/refresh?next=${encodeURIComponent(path + window.location.search)}`,
      );
    }
  }

  function Providers({ children }: { children: ReactNode }) {
    const [queryClient] = useState(() => newQueryClient(onGlobalError));
    const [trpcClient] = useState(() =>
      base.createClient({
        links: [
          stripDirectionLink(),
          // Non-streaming link: login/refresh/logout set cookies through response headers.
          // Sign-in, refresh and password checks go alone (the api refuses them inside a batch);
          // everything else is batched up to the api's limit.
          splitLink<TRouter>({
            condition: (op) => SOLO_PROCEDURES.includes(op.path),
            true: httpLink<AnyRouter>(linkOptions),
            false: httpBatchLink<AnyRouter>({ ...linkOptions, maxItems: MAX_BATCH_SIZE }),
          }),
        ],
      }),
    );
    return (
      <base.Provider client={trpcClient} queryClient={queryClient}>
        <QueryClientProvider client={queryClient}>
          <ToastProvider>{children}</ToastProvider>
        </QueryClientProvider>
      </base.Provider>
    );
  }

  return { api, Providers };
}
