// The tenancy types the api builds on, re-exported in one place so routers import from here.
export type {
  Tenancy,
  TenantScope,
  TenantRecord,
  Membership,
  UserDoc,
  SettingDoc,
  TenantAuditDoc,
  AdminAccount,
  AuditActor,
  MemberActor,
  PlanFeature,
  PasswordHasher as PasswordHashing,
  SessionRow,
  SessionStore,
  LoginAttempt,
  LoginRateLimiter,
  RateLimitConfig,
  RateLimitScope,
} from "@tenantry/tenancy";

// Values: the tenant schemas, for their collection names (the auth check reads without models).
export { tenantSchemas } from "@tenantry/tenancy";
// The status rule of withTenant, for a login that checks the password before the status.
export { assertActive } from "@tenantry/tenancy";
// Session rows behind the operations rotation needs; login throttling's refusal and defaults.
export { sessionStore, RateLimited, DEFAULT_RATE_LIMIT } from "@tenantry/tenancy";
// A person's own sessions as their profile lists them (list, end one, end the others).
export { sessionFamilies } from "@tenantry/tenancy";
// Two-factor sign-in: whether an account has a second factor, the challenges' routing parts.
export {
  hasTwoFactor,
  orgRequiresTwoFactor,
  parseAdminChallenge,
  parseTenantChallenge,
} from "@tenantry/tenancy";
