import "server-only";
import { createPageCaller, createPagePrefetch } from "@tenantry/next-kit/server";
import { getServices } from "./api";

export const { callOrRedirect } = createPageCaller({
  surface: "admin",
  getServices,
  enrolPath: "/two-factor-setup",
});

export const { trpc, prefetch, HydrateClient } = createPagePrefetch({
  surface: "admin",
  getServices,
});
