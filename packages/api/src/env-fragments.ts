// The env variables the api's hosts share (the standalone server and both Next apps), each
// validated here once; a host composes the fragments it needs into its own schema and parses it
// with parseEnv. The database and encryption key fragments come from @tenantry/tenancy/env.
import { z } from "zod";

import { LOG_FORMATS } from "./logger";

export { firstAdminEnv } from "./first-admin-env";

/** A yes/no switch: "true" or "false" ("1" and "0" are taken too). */
export const flag = z
  .enum(["true", "false", "1", "0"], { error: 'must be "true" or "false"' })
  .transform((v) => v === "true" || v === "1");

export const nodeEnv = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
};

export const logEnv = {
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Unset: JSON, or readable lines outside production on a terminal (see logger.ts). */
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
};

/** Token signing: every host that verifies a token must agree on all three. */
export const jwtEnv = {
  JWT_SECRET: z
    .string({ error: "is required (at least 32 characters)" })
    .min(32, "must be at least 32 characters"),
  JWT_ISSUER: z.string().min(1).default("tenantry"),
  JWT_AUDIENCE: z.string().min(1).default("tenantry-api"),
};

/**
 * Whether a super admin must set up two-factor sign-in before any privileged action (default
 * "required"). "optional" is for test stacks whose one admin signs in many times a minute.
 */
export const adminTwoFactorEnv = {
  ADMIN_TWO_FACTOR: z.enum(["required", "optional"]).default("required"),
};

/** How browsers reach the tenant app, and what the hosts in front of it are trusted with. */
export const webEnv = {
  WEB_URL: z.url("must be a URL such as http://localhost:3000").default("http://localhost:3000"),
  /** Local http only: cookies cannot be Secure without TLS. */
  INSECURE_COOKIES: flag.default(false),
  // Behind the deploy proxy: client IPs (login limits) and hosts come from its X-Forwarded-* headers.
  TRUST_PROXY: flag.default(false),
};

/**
 * API key call limits, shared by every instance (tenancy's api-key-rate-limits.ts): calls per key
 * and per tenant (all its keys together) in each window of API_KEY_RATE_WINDOW_SECONDS.
 */
export const apiKeyRateLimitEnv = {
  API_KEY_RATE_LIMIT_PER_KEY: z.coerce
    .number({ error: "must be a whole number of calls, such as 600" })
    .int("must be a whole number of calls, such as 600")
    .min(1, "must be at least 1 call")
    .max(1_000_000, "must be at most 1000000 calls")
    .default(600),
  API_KEY_RATE_LIMIT_PER_TENANT: z.coerce
    .number({ error: "must be a whole number of calls, such as 3000" })
    .int("must be a whole number of calls, such as 3000")
    .min(1, "must be at least 1 call")
    .max(10_000_000, "must be at most 10000000 calls")
    .default(3000),
  API_KEY_RATE_WINDOW_SECONDS: z.coerce
    .number({ error: "must be a whole number of seconds, such as 60" })
    .int("must be a whole number of seconds, such as 60")
    .min(1, "must be at least 1 second")
    .max(86_400, "must be at most 86400 seconds (a day)")
    .default(60),
};

/** The services' apiKeyRateLimit from the parsed apiKeyRateLimitEnv variables. */
export const apiKeyRateLimitFrom = (env: {
  API_KEY_RATE_LIMIT_PER_KEY: number;
  API_KEY_RATE_LIMIT_PER_TENANT: number;
  API_KEY_RATE_WINDOW_SECONDS: number;
}) => ({
  perKey: env.API_KEY_RATE_LIMIT_PER_KEY,
  perTenant: env.API_KEY_RATE_LIMIT_PER_TENANT,
  windowSeconds: env.API_KEY_RATE_WINDOW_SECONDS,
});

/** Cookies are Secure in production unless explicitly running over plain local http. */
export function cookieSecure(env: { NODE_ENV: string; INSECURE_COOKIES: boolean }): boolean {
  return env.NODE_ENV === "production" && !env.INSECURE_COOKIES;
}

/** Parses `source` with `schema`, or throws one error listing every bad variable under `heading`. */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  source: Record<string, string | undefined>,
  heading: string,
): z.output<T> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
  throw new Error(`${heading}\n${lines.join("\n")}`);
}
