// The standalone server's configuration, validated once from process.env (zod). Nothing else in
// the api reads the environment.
import { clusterUriPolicyEnv } from "@tenantry/tenancy";
import { z } from "zod";

import { LOG_FORMATS } from "../logger";
import { metricsTokenSchema } from "../observation/metrics-token";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().default("127.0.0.1"),
    /** Unset: start an embedded MongoDB-compatible server (development only). */
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//)
      .optional(),
    EMBEDDED_MONGO_DBPATH: z.string().default(".data/db"),
    CONTROL_DB_NAME: z.string().default("tenantry_control"),
    ENCRYPTION_KEY: z
      .string()
      .refine((k) => Buffer.from(k, "base64").length === 32, "must be 32 bytes, base64"),
    JWT_SECRET: z.string().min(32, "must be at least 32 characters"),
    JWT_ISSUER: z.string().default("tenantry"),
    JWT_AUDIENCE: z.string().default("tenantry-api"),
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD: z.string().optional(),
    ADMIN_API_ENABLED: bool.default(true),
    /** Tenant web app's public URL (invite links); WEB_URL is accepted too, as the apps use it. */
    PUBLIC_APP_URL: z.url().optional(),
    WEB_URL: z.url().default("http://localhost:3000"),
    /** Local http only: cookies cannot be Secure without TLS. */
    INSECURE_COOKIES: bool.default(false),
    TENANT_CACHE_MAX: z.coerce.number().int().min(1).max(100_000).default(500),
    TENANT_CACHE_TTL_MS: z.coerce.number().int().min(1000).default(600_000),
    /** How long a passed user + session check is trusted on this instance (0 = never cached). */
    AUTH_CHECK_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** V8 heap growth past the live heap, in percent (0 = V8's own policy); see heap-policy.ts. */
    API_HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(1000).default(100),
    TENANT_HOST_SUFFIX: z.string().optional(),
    TRUST_PROXY: bool.default(false),
    // Which cluster URIs super admins may add (tenancy's cluster-uri-policy.ts); unset: loopback.
    ...clusterUriPolicyEnv,
    /** Bearer token for GET /metrics; unset or empty: /metrics answers 404. */
    METRICS_TOKEN: z.preprocess((v) => (v === "" ? undefined : v), metricsTokenSchema.optional()),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    /** Unset: JSON, or readable lines outside production on a terminal (see logger.ts). */
    LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  })
  .refine((e) => !e.ADMIN_EMAIL === !e.ADMIN_PASSWORD, {
    message: "set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither",
    path: ["ADMIN_PASSWORD"],
  });

export type ServerEnv = z.infer<typeof schema>;

export function loadServerEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment for @tenantry/api serve:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
