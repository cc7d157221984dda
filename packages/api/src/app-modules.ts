// The app's tenant modules, registered once: createTenancy({ modules: APP_MODULES }) gives every
// tenant their collections and migrations, and root.ts mounts their routers (by module name).
import { notes } from "@tenantry/notes";
import type { ModulesModels, Tenancy } from "@tenantry/tenancy";

export const APP_MODULES = [notes] as const;

/** The Tenancy that createTenancy({ modules: APP_MODULES }) returns: scope.models has Note. */
export type AppTenancy = Tenancy<ModulesModels<typeof APP_MODULES>>;
