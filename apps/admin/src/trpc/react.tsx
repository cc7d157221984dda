"use client";
import type { AdminRouter } from "@tenantry/api";
import { createTRPCKit } from "@tenantry/next-kit/react";
import { PUBLIC_PATHS } from "~/public-paths";

// A super admin without a second factor is held on its set-up until they have one.
const kit = createTRPCKit<AdminRouter>({
  publicPaths: PUBLIC_PATHS,
  enrolPath: "/two-factor-setup",
});

export const useTRPC = kit.useTRPC;
export const Providers = kit.Providers;
