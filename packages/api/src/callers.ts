// Server-side callers (server components, scripts, tests): the same procedures without HTTP.
import type { InnerContextOptions } from "./context";
import { createInnerTRPCContext } from "./context";
import { adminRouter, appRouter } from "./root";
import { createCallerFactory } from "./trpc";

const appCallerFactory = createCallerFactory(appRouter);
const adminCallerFactory = createCallerFactory(adminRouter);

// Server-side callers default to csrf "trusted": they are not reachable cross-site as tRPC
// endpoints; a Next server action that uses one is guarded by Next's own Origin check.
export function createAppCaller(opts: Omit<InnerContextOptions, "surface">) {
  return appCallerFactory(createInnerTRPCContext({ csrf: "trusted", ...opts, surface: "app" }));
}

export function createAdminCaller(opts: Omit<InnerContextOptions, "surface">) {
  return adminCallerFactory(createInnerTRPCContext({ csrf: "trusted", ...opts, surface: "admin" }));
}
