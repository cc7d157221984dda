// The control audit log's vocabulary: `<subject>.<past tense>`, written once per action by the
// use case that performs it. Browser code (the admin app's filter) lists them from here.
export const CONTROL_AUDIT_ACTIONS = [
  "admin.created",
  "admin.login",
  "admin.disabled",
  "admin.passwordReset",
  "tenant.provisioned",
  "tenant.provision.rolledBack",
  "tenant.suspended",
  "tenant.resumed",
  "tenant.deleted",
  "tenant.restored",
  "tenant.purged",
  "tenant.migrated",
  "tenant.migrateAll.started",
  "tenant.exported",
  "tenant.imported",
  "tenant.pool.dedicated",
  "tenant.pool.released",
  "tenant.plan.changed",
  "cluster.added",
  "impersonate.start",
  "platformKey.created",
  "platformKey.revoked",
  "tenant.ownerResetSent",
  "tenant.scriptRan",
] as const;

export type ControlAuditAction = (typeof CONTROL_AUDIT_ACTIONS)[number];
