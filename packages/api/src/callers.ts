// Server-side callers (server components, scripts, tests): the same procedures without HTTP.
import type { InnerContextOptions } from "./context";
import { createInnerTRPCContext } from "./context";
import { adminRouter, appRouter } from "./root";
import { createCallerFactory } from "./trpc";

const appCallerFactory = createCallerFactory(appRouter);
const adminCallerFactory = createCallerFactory(adminRouter);

export function createAppCaller(opts: Omit<InnerContextOptions, "surface">) {
  return appCallerFactory(createInnerTRPCContext({ ...opts, surface: "app" }));
}

export function createAdminCaller(opts: Omit<InnerContextOptions, "surface">) {
  return adminCallerFactory(createInnerTRPCContext({ ...opts, surface: "admin" }));
}
