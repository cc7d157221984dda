// Two roots: a tenant-facing host never serves admin procedures.
import { adminAuditRouter } from "./routers/admin/audit/_router";
import { adminAuthRouter } from "./routers/admin/auth/_router";
import { adminClustersRouter } from "./routers/admin/clusters/_router";
import { adminImpersonateRouter } from "./routers/admin/impersonate/_router";
import { adminSystemRouter } from "./routers/admin/system/_router";
import { adminTenantsRouter } from "./routers/admin/tenants/_router";
import { auditRouter } from "./routers/audit/_router";
import { authRouter } from "./routers/auth/_router";
import { healthRouter } from "./routers/health/_router";
import { membersRouter } from "./routers/members/_router";
import { notesRouter } from "./routers/notes/_router";
import { settingsRouter } from "./routers/settings/_router";
import { createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  health: healthRouter,
  members: membersRouter,
  notes: notesRouter,
  settings: settingsRouter,
  audit: auditRouter,
});

export const adminRouter = createTRPCRouter({
  auth: adminAuthRouter,
  tenants: adminTenantsRouter,
  clusters: adminClustersRouter,
  system: adminSystemRouter,
  audit: adminAuditRouter,
  impersonate: adminImpersonateRouter,
});

export type AppRouter = typeof appRouter;
export type AdminRouter = typeof adminRouter;
