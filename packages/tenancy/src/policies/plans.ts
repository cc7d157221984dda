// The plan catalogue: what each plan includes (features) and allows (limits). Plain data, so the
// admin app lists the same plans and limit names the domain core enforces. A tenant's record keeps
// its plan's name plus per-tenant limit overrides; effectivePlan merges the two.

export const PLAN_NAMES = ["free", "pro", "enterprise"] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

/** What a plan can include beyond its limits; each gates procedures (featureProcedure in the api). */
export const PLAN_FEATURES = ["auditExport"] as const;
export type PlanFeature = (typeof PLAN_FEATURES)[number];

/**
 * The limits every plan sets. `seats`: active + invited members. `storageBytes`: the tenant
 * database's dbStats size (over it the tenant is read-only). `inFlight` and `requestsPerMinute`
 * are the per-tenant admission bounds (not enforced here yet; issue 18 item 3).
 */
export const CORE_LIMITS = ["seats", "storageBytes", "inFlight", "requestsPerMinute"] as const;
export type CoreLimit = (typeof CORE_LIMITS)[number];

/**
 * A limit's name: a core limit, or the name of a tenant module that declares a counted collection
 * (its items per tenant, e.g. "notes").
 */
export type LimitName = CoreLimit | (string & {});

export interface PlanDefinition {
  name: PlanName;
  label: string;
  features: readonly PlanFeature[];
  limits: Record<CoreLimit, number>;
  /** Items per module, by module name; a module not listed gets `otherModuleItems`. */
  moduleItems: Record<string, number>;
  otherModuleItems: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const PLANS: Record<PlanName, PlanDefinition> = {
  free: {
    name: "free",
    label: "Free",
    features: [],
    limits: { seats: 10, storageBytes: 100 * MiB, inFlight: 8, requestsPerMinute: 600 },
    moduleItems: { notes: 1_000 },
    otherModuleItems: 1_000,
  },
  pro: {
    name: "pro",
    label: "Pro",
    features: ["auditExport"],
    limits: { seats: 100, storageBytes: 10 * GiB, inFlight: 16, requestsPerMinute: 3_000 },
    moduleItems: { notes: 100_000 },
    otherModuleItems: 100_000,
  },
  enterprise: {
    name: "enterprise",
    label: "Enterprise",
    features: ["auditExport"],
    limits: { seats: 10_000, storageBytes: 500 * GiB, inFlight: 64, requestsPerMinute: 30_000 },
    moduleItems: { notes: 10_000_000 },
    otherModuleItems: 10_000_000,
  },
};

/** Usage at or above this share of a limit warns the tenant's owners. */
export const USAGE_WARNING_RATIO = 0.8;

/** Limit names in overrides and on the CLI: a core limit or a module name, lower camel case. */
export const LIMIT_NAME_PATTERN = /^[a-z][a-zA-Z0-9]{0,39}$/;

export function isPlanName(name: string): name is PlanName {
  return (PLAN_NAMES as readonly string[]).includes(name);
}

export function isPlanFeature(name: string): name is PlanFeature {
  return (PLAN_FEATURES as readonly string[]).includes(name);
}

/**
 * What an older record's free-text plan maps to: a catalogue name as is, the old "team" tier to
 * "pro", anything else to "free".
 */
export function catalogueName(stored: string | null | undefined): PlanName {
  if (stored && isPlanName(stored)) return stored;
  return stored === "team" ? "pro" : "free";
}

/** One limit's maximum for a plan with a tenant's overrides (an override wins). */
export function limitOf(
  plan: PlanName,
  overrides: Readonly<Record<string, number>>,
  limit: LimitName,
): number {
  const override = overrides[limit];
  if (typeof override === "number") return override;
  const def = PLANS[plan];
  if ((CORE_LIMITS as readonly string[]).includes(limit)) return def.limits[limit as CoreLimit];
  return def.moduleItems[limit] ?? def.otherModuleItems;
}

export function planHasFeature(plan: PlanName, feature: PlanFeature): boolean {
  return PLANS[plan].features.includes(feature);
}

/** Whether a value is a limit's maximum: a whole number from 0 up. */
export function isLimitValue(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * A stored overrides object as the catalogue reads it: well-formed names with whole, non-negative
 * values; anything else (older free-form `limits`) is dropped.
 */
export function normalizeOverrides(raw: unknown): Record<string, number> {
  if (!raw || typeof raw !== "object") return {};
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(
      (e): e is [string, number] => LIMIT_NAME_PATTERN.test(e[0]) && isLimitValue(e[1]),
    ),
  );
}
