"use client";
import type { AdminRouter } from "@tenantry/api";
import { createTRPCKit } from "@tenantry/next-kit/react";
import { PUBLIC_PATHS } from "~/public-paths";

const kit = createTRPCKit<AdminRouter>({ publicPaths: PUBLIC_PATHS });

export const useTRPC = kit.useTRPC;
export const Providers = kit.Providers;
