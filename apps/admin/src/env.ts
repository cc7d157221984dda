// The only place apps/admin reads process.env. Validated on first use (not at import) so that
// `next build` works without secrets; a missing or bad value stops the server with a clear list.
import { LOG_FORMATS } from "@tenantry/api/logger";
import { clusterUriPolicyEnv } from "@tenantry/tenancy";
import { passwordWeakness } from "@tenantry/tenancy/policies";
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  MONGODB_URI: z
    .string({ error: "is required (e.g. mongodb://127.0.0.1:27017)" })
    .regex(/^mongodb(\+srv)?:\/\//, "must start with mongodb:// or mongodb+srv://"),
  JWT_SECRET: z
    .string({ error: "is required (at least 32 characters)" })
    .min(32, "must be at least 32 characters"),
  // Same defaults as the standalone api server, so its tokens and ours verify alike.
  JWT_ISSUER: z.string().min(1).default("tenantry"),
  JWT_AUDIENCE: z.string().min(1).default("tenantry-api"),
  CONTROL_DB_NAME: z.string().min(1).default("tenantry_control"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  ENCRYPTION_KEY: z
    .string({ error: "is required (32 random bytes, base64)" })
    .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes encoded as base64"),
  ADMIN_EMAIL: z.email({ error: "is required: the first super admin's email" }),
  ADMIN_PASSWORD: z
    .string({ error: "is required: the first super admin's password (12+ characters)" })
    .superRefine((pw, ctx) => {
      const weakness = passwordWeakness(pw);
      if (weakness) ctx.addIssue({ code: "custom", message: `is too weak: ${weakness}` });
    }),
  // Where the tenant app runs: impersonation hands its token to this origin.
  WEB_URL: z.url("must be a URL such as http://localhost:3000").default("http://localhost:3000"),
  // The dedicated folder (kept 0700) tenant export archives wait in for their download.
  EXPORT_DIR: z.string().min(1).default(".data/exports"),
  // How long an archive nobody downloads stays there.
  EXPORT_TTL_SECONDS: z.coerce
    .number({ error: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .min(1, "must be at least 1")
    .max(86_400, "must be at most 86400 (a day)")
    .default(600),
  ADMIN_URL: z.url("must be a URL such as http://localhost:3001").default("http://localhost:3001"),
  INSECURE_COOKIES: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .default("false")
    .transform((v) => v === "true"),
  // Which cluster URIs super admins may add (packages/tenancy cluster-uri-policy.ts); unset: loopback.
  ...clusterUriPolicyEnv,
  // Behind the deploy proxy: client IPs (login limits) and hosts come from its X-Forwarded-* headers.
  TRUST_PROXY: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .default("false")
    .transform((v) => v === "true"),
});

export type AdminEnv = z.infer<typeof schema>;

let cached: AdminEnv | undefined;

export function getEnv(): AdminEnv {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`apps/admin: invalid environment\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Cookies are Secure in production unless explicitly running over plain local http. */
export function cookieSecure(env: AdminEnv = getEnv()): boolean {
  return env.NODE_ENV === "production" && !env.INSECURE_COOKIES;
}

/**
 * What the page CSP depends on, for proxy.ts on every page request: only non-secret settings,
 * read as they are (the policy builder treats a missing value as its default).
 */
export function policyEnv(): Record<string, string | undefined> {
  return {
    NODE_ENV: process.env.NODE_ENV,
    INSECURE_COOKIES: process.env.INSECURE_COOKIES,
    WEB_URL: process.env.WEB_URL,
  };
}
