// Everything the routers need, built once per process from configuration the app passes in.
// The api never reads process.env: apps and src/server/env.ts own configuration.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

import {
  DEFAULT_KEY_RATE_LIMITS,
  InvalidInput,
  WeakPassword,
  openExportFolder,
} from "@tenantry/tenancy";
import type { ExportFolder, KeyRateLimitConfig, KeyRateLimits } from "@tenantry/tenancy";
import pino from "pino";
import type { Logger } from "pino";

import type { JwtConfig, AccessTokens } from "./auth/access-tokens";
import type { AuthCheckCache } from "./auth/auth-check-cache";
import { DEFAULT_AUTH_CHECK_CACHE_MS, createAuthCheckCache } from "./auth/auth-check-cache";
import { createAccessTokens } from "./auth/access-tokens";
import type { KeyCheckCache } from "./auth/key-check-cache";
import { createKeyCheckCache } from "./auth/key-check-cache";
import type { CookieConfig } from "./auth/cookies";
import type { RateLimitConfig, LoginRateLimiter } from "./tenancy-port";
import { DEFAULT_RATE_LIMIT } from "./tenancy-port";
import type { PasswordHasher } from "./auth/password-hasher";
import { createPasswordHasher } from "./auth/password-hasher";
import type { ApiMetrics } from "./metrics";
import { createMetrics } from "./metrics";
import { metricsTokenSchema } from "./observation/metrics-token";
import type { Tenancy } from "./tenancy-port";

export interface ApiServicesConfig {
  tenancy: Tenancy;
  jwt: JwtConfig;
  cookies: CookieConfig;
  /** Public base URL of the tenant web app; invite links point at `${publicAppUrl}/invite#token=…`. */
  publicAppUrl?: string;
  /** Public base URL of the admin app; super admins' reset links point at `${adminAppUrl}/reset-password`. */
  adminAppUrl?: string;
  /** "acme.app.example.com" names tenant "acme" when this is ".app.example.com". */
  tenantHostSuffix?: string;
  /** Trust X-Forwarded-For for the client IP (only behind a proxy you run). */
  trustProxy?: boolean;
  /**
   * Origins allowed to send cookie-authenticated mutations. When a request carries an Origin
   * header it must be listed (or equal the request's own host); the CSRF header is always required.
   */
  allowedOrigins?: string[];
  rateLimit?: Partial<RateLimitConfig>;
  /** Calls per API key and per tenant (all its keys) per window, shared by all instances. */
  apiKeyRateLimit?: Partial<KeyRateLimitConfig>;
  /** First super admin, created on first start only when no admin exists (ADMIN_EMAIL / ADMIN_PASSWORD). */
  firstAdmin?: { email: string; password: string; name?: string };
  logger?: Logger;
  /**
   * The dedicated folder tenant exports wait in (admin `tenants.export`), kept 0700; default a
   * fresh folder under the OS temp dir. Archives are removed after download or after `exportTtlMs`.
   */
  exportDir?: string;
  /** How long an export archive waits for its download (default 10 minutes). */
  exportTtlMs?: number;
  /** Lifetime of impersonation tokens, seconds (default 10 minutes). */
  impersonationTtlSeconds?: number;
  version?: string;
  /**
   * How long (ms) this instance trusts a passed user + session check for the same token's session
   * (default 1000; 0 = check the database on every call). Writes on this instance take effect at
   * once; a session revoked or a user changed through another instance is seen within this time.
   */
  authCheckCacheMs?: number;
  /**
   * Bearer token that unlocks GET /metrics on the standalone server (METRICS_TOKEN). Unset: the
   * server answers /metrics with 404, so metrics are never public by default.
   */
  metricsToken?: string;
  /**
   * "required" (the default): a super admin without a second factor may sign in, enrol and see
   * who they are, and nothing else (403 TWO_FACTOR_REQUIRED). "optional" lets them work without
   * one (ADMIN_TWO_FACTOR=optional): for test stacks whose one admin signs in many times a minute,
   * which a single-use code per 30-second step cannot serve.
   */
  adminTwoFactor?: "required" | "optional";
  /**
   * Run background jobs on this instance (default true; JOBS_ENABLED): started with the services,
   * stopped by tenancy.shutdown. Any instance may queue jobs; only running ones execute them.
   */
  runJobs?: boolean;
}

export interface ApiServices {
  tenancy: Tenancy;
  tokens: AccessTokens;
  passwords: PasswordHasher;
  rateLimiter: LoginRateLimiter;
  metrics: ApiMetrics;
  logger: Logger;
  config: ApiServicesConfig & { instanceId: string; startedAt: Date; version: string };
  /** Tenant procedures running on this instance right now, by tenant id (admin "leased now"). */
  activeTenantCalls: Map<string, number>;
  /** Recent successful user + session checks of tenant calls (see `authCheckCacheMs`). */
  authChecks: AuthCheckCache;
  /** Recent successful API key checks, same TTL as authChecks (see auth/key-check-cache.ts). */
  keyChecks: KeyCheckCache;
  keyRateLimits: KeyRateLimits;
  /** Whether each tenant requires two-factor sign-in, as read recently (same TTL as authChecks). */
  orgTwoFactor: Map<string, { required: boolean; until: number }>;
  /** The export folder, opened (and its sweep started) on first use. */
  exportFolder(): Promise<ExportFolder>;
  /** Creates the first super admin from config if none exists; refuses a weak password. */
  ensureFirstAdmin(): Promise<"created" | "exists" | "not-configured">;
}

export class WeakAdminPassword extends Error {
  constructor(detail: string) {
    super(
      `ADMIN_PASSWORD is too weak: ${detail}. Choose a stronger one; Tenantry has no default credentials.`,
    );
    this.name = "WeakAdminPassword";
  }
}

export async function createApiServices(config: ApiServicesConfig): Promise<ApiServices> {
  const cacheMs = config.authCheckCacheMs;
  if (cacheMs !== undefined && (!Number.isInteger(cacheMs) || cacheMs < 0 || cacheMs > 60_000)) {
    throw new Error("authCheckCacheMs must be an integer from 0 to 60000");
  }
  if (config.metricsToken !== undefined) {
    const checked = metricsTokenSchema.safeParse(config.metricsToken);
    if (!checked.success)
      throw new Error(`metricsToken ${checked.error.issues[0]?.message ?? "is invalid"}`);
  }
  const tokens = createAccessTokens(config.jwt);
  const passwords = await createPasswordHasher(config.tenancy.passwords);
  const rateLimiter = config.tenancy.loginRateLimiter({
    ...DEFAULT_RATE_LIMIT,
    ...config.rateLimit,
  });
  const logger = config.logger ?? pino({ level: "info" });
  let exportFolder: Promise<ExportFolder> | undefined;
  const activeTenantCalls = new Map<string, number>();
  const authChecks = createAuthCheckCache(config.authCheckCacheMs ?? DEFAULT_AUTH_CHECK_CACHE_MS);
  const keyRateLimits = config.tenancy.keyRateLimits({
    ...DEFAULT_KEY_RATE_LIMITS,
    ...config.apiKeyRateLimit,
  });
  if (config.runJobs ?? true) await config.tenancy.jobs.start();
  const services: ApiServices = {
    tenancy: config.tenancy,
    tokens,
    passwords,
    rateLimiter,
    metrics: createMetrics({ tenancy: config.tenancy, activeTenantCalls, authChecks }),
    logger,
    config: {
      ...config,
      instanceId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
      startedAt: new Date(),
      version: config.version ?? "0.1.0",
    },
    activeTenantCalls,
    authChecks,
    keyChecks: createKeyCheckCache(authChecks.ttlMs),
    keyRateLimits,
    orgTwoFactor: new Map(),
    exportFolder: () =>
      (exportFolder ??= openExportFolder({
        ...(config.exportDir ? { dir: config.exportDir } : {}),
        ...(config.exportTtlMs ? { ttlMs: config.exportTtlMs } : {}),
        onSweepError: (err) => logger.warn({ err }, "export folder sweep failed"),
      })),
    async ensureFirstAdmin() {
      const first = config.firstAdmin;
      if (!first) return (await config.tenancy.admins.any()) ? "exists" : "not-configured";
      const email = first.email.trim().toLowerCase();
      try {
        const outcome = await config.tenancy.admins.createFirst({
          email,
          name: first.name ?? email,
          password: first.password,
        });
        if (outcome === "created")
          logger.info({ email }, "created first super admin from configuration");
        return outcome;
      } catch (err) {
        if (err instanceof WeakPassword) throw new WeakAdminPassword(err.weakness);
        if (err instanceof InvalidInput)
          throw new Error("ADMIN_EMAIL is not a valid email address", { cause: err });
        throw err;
      }
    },
  };
  // On the fleet from now on (admin system.fleet); tenancy.shutdown takes the entry off again.
  await config.tenancy.fleet.join({
    instanceId: services.config.instanceId,
    version: services.config.version,
    startedAt: services.config.startedAt,
  });
  return services;
}
