// Public surface of @tenantry/api (see docs/package-interfaces.md).
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import type { AdminRouter, AppRouter } from "./root";

export { appRouter, adminRouter, composeAppRouter } from "./root";
export { APP_MODULES } from "./app-modules";
export type { AppTenancy } from "./app-modules";
export type { AppRouter, AdminRouter } from "./root";
export {
  createTRPCContext,
  createInnerTRPCContext,
  createCallerFactory,
  publicProcedure,
  authedProcedure,
  tenantProcedure,
  tenantAdminProcedure,
  superAdminProcedure,
} from "./trpc";
export type { Context } from "./trpc";
export type { InnerContextOptions, TokenTransport } from "./context";
export { createAppCaller, createAdminCaller, createServerContext } from "./callers";
export { createApiServices, WeakAdminPassword } from "./services";
export type { ApiServices, ApiServicesConfig } from "./services";
export { createNextRouteHandler } from "./http/next-route-handler";
export {
  MAX_BATCH_SIZE,
  MAX_BODY_BYTES,
  SOLO_PROCEDURES,
  TRPC_HANDLER_LIMITS,
} from "./http/request-limits";
export { forwardedClientIp } from "./context";
export { createStandaloneServer } from "./server/http-server";
export { applyHeapGrowthPolicy, DEFAULT_HEAP_GROWTH_PERCENT } from "./server/heap-policy";
export type { StandaloneServer, StandaloneServerOptions } from "./server/http-server";
export type { NextRouteHandlerOptions } from "./http/next-route-handler";
export { COOKIE_NAMES } from "./auth/cookies";
export type { ApiReason } from "./api-errors";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type AdminRouterInputs = inferRouterInputs<AdminRouter>;
export type AdminRouterOutputs = inferRouterOutputs<AdminRouter>;
