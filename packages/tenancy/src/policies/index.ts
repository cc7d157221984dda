// The domain's input policies (password, slug, email), free of dependencies so browser code, zod
// schemas, the CLI and env checks all import the same rule instead of restating it.
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordWeakness } from "./password";
export { RESERVED_SLUGS, SLUG_FORMAT_MESSAGE, SLUG_PATTERN, slugProblem } from "./slug";
export { EMAIL_MAX_LENGTH, isValidEmail, normalizeEmailText } from "./email";
export { CONTROL_AUDIT_ACTIONS } from "./audit-actions";
export type { ControlAuditAction } from "./audit-actions";
export {
  ADMIN_KEY_SCOPES,
  API_KEY_NAME_MAX_LENGTH,
  PLATFORM_KEY_PREFIX,
  PLATFORM_KEY_SCOPES,
  TENANT_KEY_PREFIX,
  scopeForCall,
  scopesProblem,
  tenantKeyScopes,
} from "./api-key-scopes";
export type { PlatformKeyScope } from "./api-key-scopes";
export {
  CORE_LIMITS,
  LIMIT_NAME_PATTERN,
  PLANS,
  PLAN_FEATURES,
  PLAN_NAMES,
  USAGE_WARNING_RATIO,
  catalogueName,
  isLimitValue,
  isPlanFeature,
  isPlanName,
  limitOf,
  normalizeOverrides,
  planHasFeature,
} from "./plans";
export type { CoreLimit, LimitName, PlanDefinition, PlanFeature, PlanName } from "./plans";
