// Two roots: a tenant-facing host never serves admin procedures. The app root is tenancy's core
// routers plus one router per registered tenant module, mounted under the module's name.
import type { AppModule } from "./module-kit";
import { APP_MODULES } from "./app-modules";
import { adminAdminsRouter } from "./routers/admin/admins/_router";
import { adminAuditRouter } from "./routers/admin/audit/_router";
import { adminAuthRouter } from "./routers/admin/auth/_router";
import { adminClustersRouter } from "./routers/admin/clusters/_router";
import { adminImpersonateRouter } from "./routers/admin/impersonate/_router";
import { adminSystemRouter } from "./routers/admin/system/_router";
import { adminTenantsRouter } from "./routers/admin/tenants/_router";
import { adminWebhooksRouter } from "./routers/admin/webhooks/_router";
import { auditRouter } from "./routers/audit/_router";
import { authRouter } from "./routers/auth/_router";
import { healthRouter } from "./routers/health/_router";
import { keysRouter } from "./routers/keys/_router";
import { membersRouter } from "./routers/members/_router";
import { settingsRouter } from "./routers/settings/_router";
import { tenantRouter } from "./routers/tenant/_router";
import { webhooksRouter } from "./routers/webhooks/_router";
import { createTRPCRouter } from "./trpc";

const coreRoutes = {
  auth: authRouter,
  health: healthRouter,
  members: membersRouter,
  settings: settingsRouter,
  audit: auditRouter,
  keys: keysRouter,
  tenant: tenantRouter,
  webhooks: webhooksRouter,
};

type ModuleRoutes<Ms extends readonly AppModule[]> = {
  [M in Ms[number] as M["name"]]: M["router"];
};

/** The app router for a module list; a module named like a core router is refused. */
export function composeAppRouter<const Ms extends readonly AppModule[]>(modules: Ms) {
  const routes: Record<string, AppModule["router"]> = {};
  for (const m of modules) {
    if (m.name in coreRoutes || m.name in routes)
      throw new Error(`Module "${m.name}" clashes with another router of that name`);
    routes[m.name] = m.router;
  }
  return createTRPCRouter({ ...coreRoutes, ...(routes as ModuleRoutes<Ms>) });
}

export const appRouter = composeAppRouter(APP_MODULES);

export const adminRouter = createTRPCRouter({
  auth: adminAuthRouter,
  tenants: adminTenantsRouter,
  clusters: adminClustersRouter,
  system: adminSystemRouter,
  audit: adminAuditRouter,
  impersonate: adminImpersonateRouter,
  admins: adminAdminsRouter,
  webhooks: adminWebhooksRouter,
});

export type AppRouter = typeof appRouter;
export type AdminRouter = typeof adminRouter;
