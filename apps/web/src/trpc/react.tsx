"use client";
import type { AppRouter } from "@tenantry/api";
import { createTRPCKit } from "@tenantry/next-kit/react";
import { PUBLIC_PATHS } from "~/public-paths";

const kit = createTRPCKit<AppRouter>({
  publicPaths: PUBLIC_PATHS,
  suspendedPath: "/suspended",
  enrolPath: "/two-factor-setup",
});

export const useTRPC = kit.useTRPC;
export const Providers = kit.Providers;
