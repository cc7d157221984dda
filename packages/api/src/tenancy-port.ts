// The tenancy types the api builds on, re-exported in one place so routers import from here.
export type {
  Tenancy,
  TenantScope,
  TenantRecord,
  Membership,
  UserDoc,
  SessionDoc,
  SettingDoc,
  TenantAuditDoc,
  AdminDoc,
  AuditActor,
  MemberActor,
  PlanFeature,
  PasswordHasher as PasswordHashing,
} from "@tenantry/tenancy";

// Values: the tenant schemas, for their collection names (the auth check reads without models).
export { tenantSchemas } from "@tenantry/tenancy";
// The status rule of withTenant, for a login that checks the password before the status.
export { assertActive } from "@tenantry/tenancy";
