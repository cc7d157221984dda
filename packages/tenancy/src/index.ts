export { createTenancy } from "./tenancy";
export type { Tenancy, TenancyOptions, PoolStats, WithTenantOptions } from "./tenancy";
export { defineTenantModule, hasModuleModels } from "./tenant-module";
export type {
  TenantModule,
  AnyTenantModule,
  ModuleSchemas,
  ModelsOf,
  ModulesModels,
  ModuleStats,
} from "./tenant-module";
export type { TenantScope } from "./tenancy-runtime";
export type {
  AdmissionConfig,
  TenancyConfig,
  TenancyHooks,
  ProvisionStep,
  PasswordHashingParams,
} from "./config";
export type { TenancyLogger } from "./tenancy-logger";
export type { TenantRecord } from "./tenant-registry";
export type { TenantListFilter, TenantSort } from "./tenant-queries";
export { TENANT_SORTS } from "./tenant-queries";
export { assertActive } from "./tenant-registry";
export {
  DEFAULT_CLUSTER_URI_POLICY,
  assertClusterUriAllowed,
  clusterUriPolicyEnv,
  clusterUriPolicyFromEnv,
} from "./cluster-uri-policy";
export type { ClusterUriPolicy } from "./cluster-uri-policy";
export type { Membership } from "./tenant-directory";
export type { ProvisionInput, RecoveryReport } from "./provision";
export { PROVISION_STEPS, slugSchema } from "./provision";
export type { SuspendResult, PurgeReceipt } from "./tenant-lifecycle";
export type { MigrateAllReport, MigrateProgress } from "./migration-runner";
export type { TenantMigration, MigrationContext, MigrateResult } from "./migrations";
export { ensureCollection } from "./collection-setup";
export { BUILT_IN_MIGRATIONS } from "./migrations";
export type {
  ArchiveSummary,
  ArchiveHeader,
  ArchiveProgress,
  ArchiveOptions,
} from "./tenant-archive";
export { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, readArchiveHeader } from "./tenant-archive";
export {
  DEFAULT_EXPORT_TTL_MS,
  EXPORT_FILE_MODE,
  EXPORT_FOLDER_MODE,
  openExportFolder,
} from "./export-folder";
export type { ExportFolder, ExportFolderOptions } from "./export-folder";
export type { ClusterInfo } from "./cluster-registry";
export type { AuditEntry, AuditEntryInput, AuditListFilter } from "./audit-log";
export { SYSTEM_ACTOR } from "./audit-log";
export type { AdminAccount, AdminSessions } from "./admin-accounts";
export type { SessionRow, SessionStore } from "./session-store";
export { sessionStore } from "./session-store";
export type { SessionFamilies, SessionSummary } from "./session-families";
export { SessionNotFound, deviceLabel, sessionFamilies } from "./session-families";
export type {
  LoginAttempt,
  LoginRateLimiter,
  RateLimitConfig,
  RateLimitScope,
} from "./login-throttle";
export { DEFAULT_RATE_LIMIT, RateLimited } from "./login-throttle";
export { AdminAccounts } from "./admin-accounts";
export { Members, recordTenantAudit } from "./members";
export { memberView } from "./member-roster";
export type { MemberView, RosterOptions, TenantRoster } from "./member-roster";
export { Invites, INVITE_TTL_MS } from "./invites";
export { OrgSwitches, switchRoute } from "./org-switch";
export type {
  OrganisationEntry,
  SwitchOrigin,
  SwitchRequest,
  SwitchResult,
  SwitchRoute,
  SwitchTarget,
} from "./org-switch";
export type { InviteDetails, IssuedInvite, PendingInvite } from "./invites";
export { ApiKeys, PlatformKeys, operatorMemberActor, serviceAccountUser } from "./api-keys";
export type { CreateKeyInput, CreatedKey } from "./api-keys";
export type { ApiKeyDoc, ApiKeyView, ServiceAccount } from "./api-key-models";
export { looksLikeApiKey, parseApiKey } from "./api-key-secrets";
export type { ParsedApiKey } from "./api-key-secrets";
export { DEFAULT_KEY_RATE_LIMITS } from "./api-key-rate-limits";
export type { KeyRateLimitConfig, KeyRateLimits } from "./api-key-rate-limits";
export { PasswordResets, RESET_LINK_TTL_MS } from "./password-resets";
export type { ResetUrls } from "./password-resets";
export type { Mailer, MailMessage } from "./mail/mailer";
export { MailNotConfigured, NO_MAILER } from "./mail/mailer";
export { createSmtpMailer, mailerFromEnv } from "./mail/smtp-mailer";
export { inviteMail, passwordResetMail } from "./mail/templates";
export { STORAGE_USAGE_TTL_MS } from "./tenant-plans";
export type { LimitReport, PlanChange, UsageReport } from "./tenant-plans";
export { PLANS, PLAN_FEATURES, PLAN_NAMES, USAGE_WARNING_RATIO } from "./policies/plans";
export type { LimitName, PlanDefinition, PlanFeature, PlanName } from "./policies/plans";
export type { AddMemberInput, MemberActor } from "./members";
export {
  hashPassword,
  verifyPassword,
  createPasswordHasher,
  DEFAULT_PASSWORD_HASHING,
} from "./password-hashing";
export type { PasswordHasher } from "./password-hashing";
export { installShutdownHandlers } from "./shutdown-signals";
export type { ShutdownSignalOptions } from "./shutdown-signals";
export * from "./errors";
export {
  TENANT_STATUSES,
  MEMBER_ROLES,
  LOGIN_ATTEMPT_TTL_SECONDS,
  controlSchemas,
} from "./control-models";
export type {
  TenantStatus,
  MemberRole,
  TenantDoc,
  DirectoryDoc,
  AdminDoc,
  AdminSessionDoc,
  ClusterDoc,
  AuditDoc,
  AuditActor,
  LoginAttemptDoc,
} from "./control-models";
export { tenantSchemas, USER_STATUSES } from "./tenant-models";
export type {
  TenantModels,
  UserDoc,
  UserStatus,
  SessionDoc,
  SettingDoc,
  TenantAuditDoc,
  InviteDoc,
  MetaDoc,
} from "./tenant-models";
/** A literal-text, case-insensitive regex for search boxes (shared so modules search the same way). */
export { literalRegex } from "./literal-regex";
export type { PasswordResetDoc } from "./password-reset-schema";
export { MAX_USAGE_DAYS } from "./usage-metering";
export type { UsageDay, UsageFlushReport, UsageSnapshot } from "./usage-metering";
export { fileInvoiceDrafts } from "./billing/file-invoice-drafts";
export type { FileInvoiceDrafts } from "./billing/file-invoice-drafts";
export { billingPeriod } from "./billing/invoice-drafts";
export type { DraftMonthReport } from "./billing/invoice-drafts";
export type {
  BillingPeriod,
  BillingPort,
  BillingTenant,
  InvoiceDraftReceipt,
  UsageTotals,
} from "./billing/billing-port";
export { MEMBER_EVENT_TYPES, PLATFORM_EVENT_TYPES } from "./events/catalogue";
export type { EventInput, EventPayloads, PlatformEventType } from "./events/catalogue";
export type {
  CreatedEndpoint,
  WebhookDeliveryView,
  WebhookEndpointView,
} from "./webhooks/webhooks";
export {
  TwoFactor,
  RECOVERY_CODE_COUNT,
  hasTwoFactor,
  orgRequiresTwoFactor,
  parseAdminChallenge,
  parseTenantChallenge,
} from "./two-factor";
export type { SecondFactorAccount, TwoFactorFields, TwoFactorStatus } from "./two-factor";
export type { JobValue, StoredJob, TenantJobContext, TenantJobOptions } from "./jobs/job-runner";
export type { MigrateAllRun } from "./jobs/migrate-all-job";
export type {
  TenantScriptContext,
  TenantScriptProgress,
  TenantScriptResult,
} from "./jobs/tenant-scripts";
