// The app's tenant modules as the CLI loads them: their data half only (schemas, indexes,
// migrations; no routers, so no tRPC in an operator's process). Provisioning and migrating from
// here then give a tenant the same collections as the api does. tenant-modules.test.ts fails when
// this list and the api's APP_MODULES disagree.
import { notesTenantModule } from "@tenantry/notes/tenant-module";

export const CLI_TENANT_MODULES = [notesTenantModule] as const;
