export { createTenantryClient, createTenantryAdminClient } from "./tenantry-client";
export type {
  TenantryClient,
  TenantryAdminClient,
  TenantryClientOptions,
  TenantryClientHelpers,
  TenantryAdminClientHelpers,
} from "./tenantry-client";
export type { Tokens } from "./token-session";
export { TRPCClientError } from "@trpc/client";
export type { AppRouter, AdminRouter, RouterInputs, RouterOutputs } from "@tenantry/api";
