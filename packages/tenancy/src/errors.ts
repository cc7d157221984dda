// Typed domain errors: the api maps these by `code` to tRPC errors, so codes are stable strings.

export type TenancyErrorCode =
  | "TENANT_NOT_FOUND"
  | "TENANT_SUSPENDED"
  | "TENANT_DELETED"
  | "TENANT_UNAVAILABLE"
  | "NO_TENANT_CONTEXT"
  | "SLUG_TAKEN"
  | "INVALID_INPUT"
  | "PROVISIONING_IN_PROGRESS"
  | "MIGRATION_LOCKED"
  | "CLUSTER_NOT_FOUND"
  | "SHUTTING_DOWN";

export class TenancyError extends Error {
  readonly code: TenancyErrorCode;
  constructor(code: TenancyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class TenantNotFound extends TenancyError {
  readonly tenant: string;
  constructor(tenant: string) {
    super("TENANT_NOT_FOUND", `Tenant "${tenant}" not found`);
    this.tenant = tenant;
  }
}

export class TenantSuspended extends TenancyError {
  readonly tenantId: string;
  readonly reason: string;
  constructor(tenantId: string, reason: string) {
    super("TENANT_SUSPENDED", `Tenant is suspended: ${reason}`);
    this.tenantId = tenantId;
    this.reason = reason;
  }
}

export class TenantDeleted extends TenancyError {
  readonly tenantId: string;
  constructor(tenantId: string) {
    super("TENANT_DELETED", "Tenant has been deleted");
    this.tenantId = tenantId;
  }
}

export class TenantUnavailable extends TenancyError {
  readonly tenantId: string | undefined;
  constructor(message: string, tenantId?: string, options?: { cause?: unknown }) {
    super("TENANT_UNAVAILABLE", message, options);
    this.tenantId = tenantId;
  }
}

export class NoTenantContext extends TenancyError {
  constructor() {
    super("NO_TENANT_CONTEXT", "No tenant in scope: wrap the call in withTenant()");
  }
}

export class SlugTaken extends TenancyError {
  readonly slug: string;
  constructor(slug: string) {
    super("SLUG_TAKEN", `The slug "${slug}" is already taken`);
    this.slug = slug;
  }
}

export class InvalidInput extends TenancyError {
  readonly issues: string[];
  constructor(message: string, issues: string[] = []) {
    super("INVALID_INPUT", message);
    this.issues = issues;
  }
}

export class ProvisioningInProgress extends TenancyError {
  constructor(slug: string) {
    super("PROVISIONING_IN_PROGRESS", `Tenant "${slug}" is being provisioned by another worker; retry shortly`);
  }
}

export class MigrationLocked extends TenancyError {
  constructor(tenantId: string) {
    super("MIGRATION_LOCKED", `Tenant ${tenantId} is being migrated by another worker`);
  }
}

export class ClusterNotFound extends TenancyError {
  constructor(name: string) {
    super("CLUSTER_NOT_FOUND", `Cluster "${name}" is not registered`);
  }
}

/** Driver errors that mean "the database cannot be reached", as opposed to a bad query. */
export function isUnreachableError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const name = err.name;
  return (
    name === "MongoServerSelectionError" ||
    name === "MongoNetworkError" ||
    name === "MongoNetworkTimeoutError" ||
    name === "MongoTopologyClosedError" ||
    name === "MongoNotConnectedError" ||
    name === "MongoPoolClearedError" ||
    name === "MongoOperationTimeoutError" ||
    name === "MongoClientClosedError" ||
    (name === "MongooseServerSelectionError")
  );
}
