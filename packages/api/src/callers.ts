// Server-side callers (server components, scripts, tests): the same procedures without HTTP.
import type { Surface } from "./auth/cookies";
import type { InnerContextOptions } from "./context";
import { createInnerTRPCContext } from "./context";
import { adminRouter, appRouter } from "./root";
import { createCallerFactory } from "./trpc";

const appCallerFactory = createCallerFactory(appRouter);
const adminCallerFactory = createCallerFactory(adminRouter);

/**
 * The context server-side calls run with (the callers below, and a server component's tRPC
 * prefetch). csrf defaults to "trusted": they are not reachable cross-site as tRPC endpoints; a
 * Next server action that uses one is guarded by Next's own Origin check.
 */
export function createServerContext(surface: Surface, opts: Omit<InnerContextOptions, "surface">) {
  return createInnerTRPCContext({ csrf: "trusted", ...opts, surface });
}

export function createAppCaller(opts: Omit<InnerContextOptions, "surface">) {
  return appCallerFactory(createServerContext("app", opts));
}

export function createAdminCaller(opts: Omit<InnerContextOptions, "surface">) {
  return adminCallerFactory(createServerContext("admin", opts));
}
