// The env variables every process that opens the control database reads (web, admin, the api
// server, the CLI), each validated here once; each process composes them into its own schema.
import { z } from "zod";

/** The control cluster and the control database in it. */
export const databaseEnv = {
  MONGODB_URI: z
    .string({
      error: "is not set (the control cluster, e.g. mongodb://127.0.0.1:27017/?replicaSet=rs0)",
    })
    .trim()
    .min(1, "is empty")
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, "must start with mongodb:// or mongodb+srv://"),
  CONTROL_DB_NAME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,60}$/, "must be 1-60 letters, digits, _ or -")
    .default("tenantry_control"),
};

/** The key tenant secrets (cluster URIs) are encrypted with; every process must hold the same one. */
export const encryptionKeyEnv = {
  ENCRYPTION_KEY: z
    .string({ error: "is not set (32 random bytes, base64: openssl rand -base64 32)" })
    .trim()
    .refine(
      (k) => /^[A-Za-z0-9+/]+={0,2}$/.test(k) && Buffer.from(k, "base64").length === 32,
      "must be 32 bytes, base64-encoded (openssl rand -base64 32)",
    ),
};

/**
 * Outgoing email (password resets). Unset: nothing is sent, the host warns at start-up and the
 * features that need mail answer "Email is not configured" (npm start and e2e run a catcher).
 */
// An empty value (as .env.example leaves them) means unset.
const unsetIfEmpty = (v: unknown) => (v === "" ? undefined : v);

export const mailEnv = {
  SMTP_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .trim()
      .regex(
        /^smtps?:\/\/\S+$/,
        "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587",
      )
      .optional(),
  ),
  MAIL_FROM: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .trim()
      .regex(
        /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/,
        'must be an address, or "Name <address>"',
      )
      .default("Tenantry <no-reply@tenantry.local>"),
  ),
};

const wholeNumber = (what: string, example: number, min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number of ${what}, such as ${example}` })
    .int(`must be a whole number of ${what}, such as ${example}`)
    .min(min, `must be at least ${min} ${what}`)
    .max(max, `must be at most ${max} ${what}`);

/**
 * Per-tenant admission around the plans' inFlight and requestsPerMinute bounds (tenancy's
 * tenant-concurrency.ts and tenant-rate-limits.ts): how many calls may queue, for how long, the
 * Retry-After of a busy refusal, and how often the shared request count is synced.
 */
export const admissionEnv = {
  /** "false" turns admission off altogether: for measuring its cost, not for production. */
  TENANT_ADMISSION: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .default("true")
    .transform((v) => v === "true"),
  TENANT_QUEUE_FACTOR: wholeNumber("calls per in-flight slot", 4, 0, 100).default(4),
  TENANT_QUEUE_TIMEOUT_MS: wholeNumber("milliseconds", 2000, 1, 60_000).default(2000),
  TENANT_BUSY_RETRY_AFTER_SECONDS: wholeNumber("seconds", 1, 1, 3600).default(1),
  TENANT_RATE_SYNC_MS: wholeNumber("milliseconds", 500, 10, 10_000).default(500),
};

/** createTenancy's `admission` from the parsed admissionEnv variables. */
export const admissionFromEnv = (env: {
  TENANT_ADMISSION: boolean;
  TENANT_QUEUE_FACTOR: number;
  TENANT_QUEUE_TIMEOUT_MS: number;
  TENANT_BUSY_RETRY_AFTER_SECONDS: number;
  TENANT_RATE_SYNC_MS: number;
}) => ({
  enabled: env.TENANT_ADMISSION,
  queueFactor: env.TENANT_QUEUE_FACTOR,
  queueTimeoutMs: env.TENANT_QUEUE_TIMEOUT_MS,
  busyRetryAfterSeconds: env.TENANT_BUSY_RETRY_AFTER_SECONDS,
  rateSyncMs: env.TENANT_RATE_SYNC_MS,
});
/**
 * Usage metering: how often (seconds) each process writes the API calls it counted to control
 * `usageDaily` (one bulk per flush; 0 = only at shutdown). Read by every process serving calls.
 */
export const usageEnv = {
  USAGE_FLUSH_SECONDS: z.coerce
    .number()
    .int("must be a whole number of seconds")
    .min(0)
    .max(3600, "must be at most 3600")
    .default(60),
};

/** The API fleet: how often (ms) each process serving the API writes its entry (default 5000). */
export const fleetEnv = {
  INSTANCE_HEARTBEAT_MS: wholeNumber("milliseconds", 5000, 50, 60_000).default(5000),
};

/**
 * Webhooks (tenancy's webhooks/webhook-config.ts): the URL policy, retries and dead-lettering.
 * Read by every process that serves API calls (it registers endpoints and runs the worker).
 */
export const webhooksEnv = {
  /** "true" allows http:// and private or loopback targets: development and tests only. */
  WEBHOOKS_ALLOW_PRIVATE_URLS: z
    .enum(["true", "false"], { message: "must be true or false" })
    .default("false")
    .transform((v) => v === "true"),
  WEBHOOKS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50, "must be at most 50").default(8),
  /** The first retry's wait in ms; each next one doubles (capped at an hour). */
  WEBHOOKS_RETRY_BASE_MS: z.coerce
    .number()
    .int()
    .min(10, "must be at least 10")
    .max(3_600_000)
    .default(10_000),
};

/**
 * createTenancy's `webhooks`. Like INSECURE_COOKIES, the relaxed policy is for local runs (the
 * e2e stack runs production builds on 127.0.0.1); tenancy logs a warning whenever it is on.
 */
export function webhooksFromEnv(env: {
  WEBHOOKS_ALLOW_PRIVATE_URLS: boolean;
  WEBHOOKS_MAX_ATTEMPTS: number;
  WEBHOOKS_RETRY_BASE_MS: number;
}): { allowPrivateUrls: boolean; maxAttempts: number; retryBaseMs: number } {
  return {
    allowPrivateUrls: env.WEBHOOKS_ALLOW_PRIVATE_URLS,
    maxAttempts: env.WEBHOOKS_MAX_ATTEMPTS,
    retryBaseMs: env.WEBHOOKS_RETRY_BASE_MS,
  };
}

/**
 * Background jobs (tenancy's jobs/job-runner.ts): whether this process runs them, how many at once
 * and how often it looks for jobs queued elsewhere. Read by every process that hosts the API.
 */
export const jobsEnv = {
  JOBS_ENABLED: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .default("true")
    .transform((v) => v === "true"),
  JOBS_CONCURRENCY: wholeNumber("jobs", 4, 1, 64).default(4),
  JOBS_POLL_MS: wholeNumber("milliseconds", 5000, 10, 600_000).default(5000),
};

/** createTenancy's `jobs` from the parsed jobsEnv variables. */
export const jobsFromEnv = (env: { JOBS_CONCURRENCY: number; JOBS_POLL_MS: number }) => ({
  concurrency: env.JOBS_CONCURRENCY,
  pollMs: env.JOBS_POLL_MS,
});
