// The browser side of tRPC both apps share: one query client with the global "session lost or
// tenant suspended" handler, the links (solo procedures unbatched, the rest batched to the api's
// limit) and the provider. Each app names its router, its public pages and its suspended page.
// Components take query and mutation options from `useTRPC()` (@trpc/tanstack-react-query) and
// hand them to TanStack Query's own hooks.
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MAX_BATCH_SIZE, SOLO_PROCEDURES } from "@tenantry/api/limits";
import { describeApiError, ToastProvider } from "@tenantry/ui";
import { createTRPCClient, httpBatchLink, httpLink, splitLink } from "@trpc/client";
import type { AnyRouter } from "@trpc/server";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState } from "react";
import type { ReactNode } from "react";
import superjson from "superjson";

import { isPublicPath } from "./public-paths";
import { QUERY_STALE_TIME } from "./query-defaults";
import { stripDirectionLink } from "./strip-direction-link";
import { TRPC_ENDPOINT } from "./trpc-endpoint";

export interface TRPCKitOptions {
  /** Pages a signed-out visitor may open: no global redirect fires on them. */
  publicPaths: readonly string[];
  /** Where a call that finds the tenant suspended sends the page (the tenant app only). */
  suspendedPath?: string;
  /** Where a call refused with TWO_FACTOR_REQUIRED sends the page: the two-factor set-up. */
  enrolPath?: string;
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
        staleTime: QUERY_STALE_TIME,
        // Auth and validation failures will not fix themselves on retry.
        retry: (count, err) => {
          const code = describeApiError(err).code;
          return count < 2 && (code === undefined || code === "INTERNAL_SERVER_ERROR");
        },
      },
      // What a server component prefetched (HydrateClient) arrives superjson-encoded.
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}

export function createTRPCKit<TRouter extends AnyRouter>(opts: TRPCKitOptions) {
  const { TRPCProvider, useTRPC } = createTRPCContext<TRouter>();

  /** Any call that finds the session gone (or the tenant suspended) moves the whole page on. */
  function onGlobalError(err: unknown) {
    if (typeof window === "undefined") return;
    const path = window.location.pathname;
    if (isPublicPath(opts.publicPaths, path)) return;
    const info = describeApiError(err);
    if (opts.suspendedPath && info.reason === "TENANT_SUSPENDED") {
      window.location.assign(opts.suspendedPath);
    } else if (opts.enrolPath && info.reason === "TWO_FACTOR_REQUIRED") {
      if (path !== opts.enrolPath) window.location.assign(opts.enrolPath);
    } else if (info.code === "UNAUTHORIZED") {
      window.location.assign(
        `/session/refresh?next=${encodeURIComponent(path + window.location.search)}`,
      );
    }
  }

  function Providers({ children }: { children: ReactNode }) {
    const [queryClient] = useState(() => newQueryClient(onGlobalError));
    const [trpcClient] = useState(() =>
      createTRPCClient<TRouter>({
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
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <ToastProvider>{children}</ToastProvider>
        </TRPCProvider>
      </QueryClientProvider>
    );
  }

  return { useTRPC, Providers };
}
