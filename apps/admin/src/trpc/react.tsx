"use client";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { AdminRouter } from "@tenantry/api";
import { describeApiError } from "@tenantry/ui";
import { MAX_BATCH_SIZE, SOLO_PROCEDURES } from "@tenantry/api/limits";
import { httpBatchLink, httpLink, splitLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import { useState } from "react";
import type { ReactNode } from "react";
import superjson from "superjson";
import { PUBLIC_PATHS } from "~/session-cookies";
import { stripDirectionLink } from "./strip-direction-link";

export const api = createTRPCReact<AdminRouter>();

/** Any call that finds the admin session gone goes through refresh to the login page. */
function onGlobalError(err: unknown) {
  if (typeof window === "undefined") return;
  const path = window.location.pathname;
  if (PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return;
  const info = describeApiError(err);
  if (info.code === "UNAUTHORIZED") {
    window.location.assign(
      `/session/refresh?next=${encodeURIComponent(path + window.location.search)}`,
    );
  }
}

const linkOptions = {
  url: "/api/trpc",
  transformer: superjson,
  headers: () => ({ "x-tenantry-csrf": "1" }),
};

export function TRPCProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: onGlobalError }),
        mutationCache: new MutationCache({ onError: onGlobalError }),
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
      }),
  );
  const [trpcClient] = useState(() =>
    api.createClient({
      links: [
        stripDirectionLink(),
        // Non-streaming link: login/refresh/logout set cookies through response headers.
        // Sign-in, refresh and password checks go alone (the api refuses them inside a batch);
        // everything else is batched up to the api's limit.
        splitLink({
          condition: (op) => SOLO_PROCEDURES.includes(op.path),
          true: httpLink(linkOptions),
          false: httpBatchLink({ ...linkOptions, maxItems: MAX_BATCH_SIZE }),
        }),
      ],
    }),
  );
  return (
    <api.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </api.Provider>
  );
}
