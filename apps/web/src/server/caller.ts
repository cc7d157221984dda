import "server-only";
import { createPageCaller, createPagePrefetch } from "@tenantry/next-kit/server";
import { getServices } from "./api";

export const { getCaller, callOrRedirect } = createPageCaller({
  surface: "app",
  getServices,
  suspendedPath: "/suspended",
});

export const { trpc, prefetch, HydrateClient } = createPagePrefetch({
  surface: "app",
  getServices,
});
