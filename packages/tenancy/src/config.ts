// TenancyConfig: validated once in createTenancy so a bad value fails at start-up, not mid-request.
import { z } from "zod";

import type { ClusterUriPolicy } from "./cluster-uri-policy";
import { DEFAULT_CLUSTER_URI_POLICY, clusterUriPolicySchema } from "./cluster-uri-policy";
import { InvalidInput } from "./errors";
import type { Mailer } from "./mail/mailer";
import { NO_MAILER } from "./mail/mailer";
import type { TenantMigration } from "./migrations";
import type { TenancyLogger } from "./tenancy-logger";
import type { WebhookConfig } from "./webhooks/webhook-config";
import { webhookConfigSchema } from "./webhooks/webhook-config";

export type ProvisionStep = "record" | "database" | "owner" | "directory" | "active";

export interface TenancyHooks {
  /** Test hook: called after each provisioning step is durable; throwing simulates a crash there. */
  afterProvisionStep?: (
    step: ProvisionStep,
    info: { tenantId: string; slug: string },
  ) => void | Promise<void>;
  /** Test hook: called inside an outbox transaction after its change and event; throwing aborts both. */
  beforeEventCommit?: (event: { type: string }) => void | Promise<void>;
}

export interface PasswordHashingParams {
  /** KiB of memory (argon2id m). */
  memoryCost?: number;
  /** Iterations (argon2id t). */
  timeCost?: number;
  parallelism?: number;
}

export interface AdmissionConfig {
  /** false: no per-tenant bound or rate at all (to measure what admission costs; not for production). */
  enabled: boolean;
  /** Calls that may wait per tenant: queueFactor × its plan's inFlight (default 4). */
  queueFactor: number;
  /** A queued call is refused (TENANT_BUSY) after waiting this long (default 2000 ms). */
  queueTimeoutMs: number;
  /** Retry-After of a TENANT_BUSY refusal (default 1 s). */
  busyRetryAfterSeconds: number;
  /** How often each instance adds its counted calls to the shared per-tenant rate (default 500 ms). */
  rateSyncMs: number;
}

const DEFAULT_ADMISSION: AdmissionConfig = {
  enabled: true,
  queueFactor: 4,
  queueTimeoutMs: 2000,
  busyRetryAfterSeconds: 1,
  rateSyncMs: 500,
};

export interface TenancyConfig {
  /** Control cluster; also registered as cluster "default". */
  controlUri: string;
  /** Default "tenantry_control". */
  controlDbName?: string;
  /** 32 bytes, base64: AES-256-GCM key for stored cluster URIs. */
  encryptionKey: string;
  cache?: { maxHandles?: number; idleTtlMs?: number };
  /**
   * Per-tenant admission. The bounds themselves come from each tenant's plan (`inFlight`,
   * `requestsPerMinute`, overridable per tenant); these are the knobs around them.
   */
  admission?: Partial<AdmissionConfig>;
  /** Cross-instance invalidation poll interval, <= 1000 ms. */
  registryRefreshMs?: number;
  /** Per-cluster client socket pool size. */
  maxPoolSize?: number;
  /** Server selection / connect timeout for tenant operations; keeps TenantUnavailable under 2 s. */
  unavailableAfterMs?: number;
  /** A cluster client other than the control one closes after this long without handles. */
  clusterIdleMs?: number;
  /** How long a soft-deleted tenant can be restored. */
  deleteGraceMs?: number;
  /** A provisioning worker's claim on a tenant; after it lapses a retry or the sweep takes over. */
  provisionLeaseMs?: number;
  /** argon2id cost; defaults are production-grade, tests may lower them. */
  passwordHashing?: PasswordHashingParams;
  /** Extra tenant migrations, appended after the built-in ones (versions must keep increasing). */
  migrations?: TenantMigration[];
  /** Run the provisioning recovery sweep during createTenancy (default true). */
  recoverOnStart?: boolean;
  /** Also sweep periodically, for workers that crashed while this instance runs (0 = never). */
  recoverySweepIntervalMs?: number;
  /** Which URIs clusters.add accepts (default: loopback hosts only, no file/credential options). */
  clusterUriPolicy?: Partial<ClusterUriPolicy>;
  logger?: TenancyLogger;
  hooks?: TenancyHooks;
  /** Where password-reset emails go out (createSmtpMailer); without one, sending them refuses. */
  mailer?: Mailer;
  /**
   * Usage metering (usage-metering.ts): API calls counted in memory are written every
   * `flushSeconds` (0 = only on an explicit flush and at shutdown); seats, storage and documents
   * are measured at a flush at most every `snapshotSeconds` per tenant.
   */
  usage?: { flushSeconds?: number; snapshotSeconds?: number };
  /** How often an API instance writes its fleet entry (instance-heartbeats.ts; default 5000 ms). */
  heartbeatMs?: number;
  /** Webhook URL policy, retries and polling (webhooks/webhook-config.ts). */
  webhooks?: Partial<WebhookConfig>;
  /** A tenant's migration lock; after it lapses (a crashed migrator) another instance may migrate it. */
  migrationLockMs?: number;
  /** Background jobs (jobs/job-runner.ts); the host decides whether this instance runs them. */
  jobs?: Partial<JobsConfig>;
}

interface JobsConfig {
  /** Jobs one instance runs at once, per kind and in all (default 4). */
  concurrency: number;
  /** How often an instance looks for due jobs queued elsewhere (default 5000 ms). */
  pollMs: number;
  /** A running job's lock; a job not finished or touched within it is taken over (default 10 min). */
  lockLifetimeMs: number;
  /** How long a tenant job waits when its tenant is suspended, deleted or provisioning (default 60 s). */
  tenantWaitMs: number;
  /** Repeat of the purge of deleted tenants past their grace period (default 1 h; 0 = not scheduled). */
  purgeExpiredEveryMs: number;
  /** Repeat of the usage snapshot of every tenant (default 1 h; 0 = not scheduled). */
  usageSnapshotEveryMs: number;
}

const DEFAULT_JOBS: JobsConfig = {
  concurrency: 4,
  pollMs: 5000,
  lockLifetimeMs: 10 * 60_000,
  tenantWaitMs: 60_000,
  purgeExpiredEveryMs: 3600_000,
  usageSnapshotEveryMs: 3600_000,
};

const configSchema = z.object({
  controlUri: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, "must be a mongodb:// or mongodb+srv:// URI"),
  controlDbName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,60}$/)
    .default("tenantry_control"),
  encryptionKey: z
    .string()
    .refine((k) => Buffer.from(k, "base64").length === 32, "must be 32 bytes, base64-encoded"),
  cache: z
    .object({
      maxHandles: z.number().int().min(1).max(100_000).default(500),
      idleTtlMs: z
        .number()
        .int()
        .min(1)
        .default(10 * 60_000),
    })
    .default({ maxHandles: 500, idleTtlMs: 10 * 60_000 }),
  admission: z
    .object({
      enabled: z.boolean().default(true),
      queueFactor: z.number().int().min(0).max(100).default(DEFAULT_ADMISSION.queueFactor),
      queueTimeoutMs: z.number().int().min(1).max(60_000).default(DEFAULT_ADMISSION.queueTimeoutMs),
      busyRetryAfterSeconds: z
        .number()
        .int()
        .min(1)
        .max(3600)
        .default(DEFAULT_ADMISSION.busyRetryAfterSeconds),
      rateSyncMs: z.number().int().min(10).max(10_000).default(DEFAULT_ADMISSION.rateSyncMs),
    })
    .default(DEFAULT_ADMISSION),
  registryRefreshMs: z.number().int().min(10).max(1000).default(250),
  maxPoolSize: z.number().int().min(1).max(1000).default(32),
  unavailableAfterMs: z.number().int().min(100).max(30_000).default(1500),
  clusterIdleMs: z.number().int().min(0).default(60_000),
  deleteGraceMs: z
    .number()
    .int()
    .min(0)
    .default(30 * 24 * 3600_000),
  provisionLeaseMs: z.number().int().min(0).default(60_000),
  passwordHashing: z
    .object({
      memoryCost: z.number().int().min(1024).optional(),
      timeCost: z.number().int().min(1).optional(),
      parallelism: z.number().int().min(1).max(16).optional(),
    })
    .default({}),
  clusterUriPolicy: z
    .object({
      hostAllowlist: clusterUriPolicySchema.shape.hostAllowlist.default(
        DEFAULT_CLUSTER_URI_POLICY.hostAllowlist,
      ),
      allowedOptions: clusterUriPolicySchema.shape.allowedOptions.default([]),
    })
    .default(DEFAULT_CLUSTER_URI_POLICY),
  usage: z
    .object({
      flushSeconds: z.number().int().min(0).max(3600).default(60),
      snapshotSeconds: z.number().int().min(1).max(86_400).default(300),
    })
    .default({ flushSeconds: 60, snapshotSeconds: 300 }),
  heartbeatMs: z.number().int().min(50).max(60_000).default(5000),
  webhooks: webhookConfigSchema.prefault({}),
  migrationLockMs: z
    .number()
    .int()
    .min(100)
    .default(10 * 60_000),
  jobs: z
    .object({
      concurrency: z.number().int().min(1).max(64).default(DEFAULT_JOBS.concurrency),
      pollMs: z.number().int().min(10).max(600_000).default(DEFAULT_JOBS.pollMs),
      lockLifetimeMs: z.number().int().min(100).default(DEFAULT_JOBS.lockLifetimeMs),
      tenantWaitMs: z.number().int().min(10).max(86_400_000).default(DEFAULT_JOBS.tenantWaitMs),
      purgeExpiredEveryMs: z.number().int().min(0).default(DEFAULT_JOBS.purgeExpiredEveryMs),
      usageSnapshotEveryMs: z.number().int().min(0).default(DEFAULT_JOBS.usageSnapshotEveryMs),
    })
    .default(DEFAULT_JOBS),
  recoverOnStart: z.boolean().default(true),
  recoverySweepIntervalMs: z
    .number()
    .int()
    .min(0)
    .default(5 * 60_000),
});

export type ResolvedConfig = z.infer<typeof configSchema> & {
  migrations: TenantMigration[];
  logger: TenancyLogger;
  hooks: TenancyHooks;
  mailer: Mailer;
  encryptionKeyBytes: Buffer;
};

const silentLogger: TenancyLogger = { info() {}, warn() {}, error() {} };

export function resolveConfig(config: TenancyConfig): ResolvedConfig {
  const { migrations, logger, hooks, mailer, ...rest } = config;
  const parsed = configSchema.safeParse(rest);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new InvalidInput(`Invalid tenancy config: ${issues.join("; ")}`, issues);
  }
  return {
    ...parsed.data,
    migrations: migrations ?? [],
    logger: logger ?? silentLogger,
    hooks: hooks ?? {},
    mailer: mailer ?? NO_MAILER,
    encryptionKeyBytes: Buffer.from(parsed.data.encryptionKey, "base64"),
  };
}
