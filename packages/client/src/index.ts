export {
  createTenantryClient,
  createTenantryAdminClient,
  API_KEY_PREFIXES,
  isTenantryError,
} from "./tenantry-client";
export type {
  TenantryClient,
  TenantryAdminClient,
  TenantryKeyClient,
  TenantryAdminKeyClient,
  TenantryClientOptions,
  TenantryAdminClientOptions,
  TenantryApiKeyOptions,
  TenantryClientHelpers,
  TenantryAdminClientHelpers,
} from "./tenantry-client";
export type { Tokens } from "./token-session";
export { TRPCClientError } from "@trpc/client";
export type {
  AppRouter,
  AdminRouter,
  RouterInputs,
  RouterOutputs,
  AdminRouterInputs,
  AdminRouterOutputs,
} from "./router-types";
