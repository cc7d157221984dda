// The standalone server's configuration, validated once from process.env (zod). Nothing else in
// the api reads the environment. The variables the Next apps and the CLI read too are composed
// from their fragments (../env-fragments.ts, @tenantry/tenancy/env), not restated here.
import { clusterUriPolicyEnv } from "@tenantry/tenancy";
import {
  admissionEnv,
  databaseEnv,
  encryptionKeyEnv,
  fleetEnv,
  jobsEnv,
  mailEnv,
  usageEnv,
  webhooksEnv,
} from "@tenantry/tenancy/env";
import { z } from "zod";

import {
  apiKeyRateLimitEnv,
  firstAdminEnv,
  adminTwoFactorEnv,
  flag,
  jwtEnv,
  logEnv,
  nodeEnv,
  parseEnv,
  webEnv,
} from "../env-fragments";
import { metricsTokenSchema } from "../observation/metrics-token";

const schema = z
  .object({
    ...nodeEnv,
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().default("127.0.0.1"),
    ...databaseEnv,
    /** Unset: start an embedded MongoDB-compatible server (development only). */
    MONGODB_URI: databaseEnv.MONGODB_URI.optional(),
    EMBEDDED_MONGO_DBPATH: z.string().default(".data/db"),
    ...encryptionKeyEnv,
    ...jwtEnv,
    // Optional here (the admin app usually creates the first super admin); both or neither.
    ADMIN_EMAIL: firstAdminEnv.ADMIN_EMAIL.optional(),
    ADMIN_PASSWORD: firstAdminEnv.ADMIN_PASSWORD.optional(),
    ADMIN_API_ENABLED: flag.default(true),
    ...adminTwoFactorEnv,
    /** Tenant web app's public URL (invite links); WEB_URL is accepted too, as the apps use it. */
    PUBLIC_APP_URL: z.url().optional(),
    ...webEnv,
    /** The admin app's public URL (super admins' password-reset links). */
    ADMIN_URL: z
      .url("must be a URL such as http://localhost:3001")
      .default("http://localhost:3001"),
    ...mailEnv,
    TENANT_CACHE_MAX: z.coerce.number().int().min(1).max(100_000).default(500),
    TENANT_CACHE_TTL_MS: z.coerce.number().int().min(1000).default(600_000),
    // Per-tenant admission around the plans' inFlight and requestsPerMinute bounds.
    ...admissionEnv,
    /** How long a passed user + session check is trusted on this instance (0 = never cached). */
    AUTH_CHECK_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** V8 heap growth past the live heap, in percent (0 = V8's own policy); see heap-policy.ts. */
    API_HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(1000).default(100),
    TENANT_HOST_SUFFIX: z.string().optional(),
    // Which cluster URIs super admins may add (tenancy's cluster-uri-policy.ts); unset: loopback.
    ...clusterUriPolicyEnv,
    /** Bearer token for GET /metrics; unset or empty: /metrics answers 404. */
    METRICS_TOKEN: z.preprocess((v) => (v === "" ? undefined : v), metricsTokenSchema.optional()),
    ...apiKeyRateLimitEnv,
    ...usageEnv,
    ...fleetEnv,
    ...webhooksEnv,
    ...jobsEnv,
    ...logEnv,
  })
  .refine((e) => !e.ADMIN_EMAIL === !e.ADMIN_PASSWORD, {
    message: "set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither",
    path: ["ADMIN_PASSWORD"],
  });

export type ServerEnv = z.infer<typeof schema>;

export function loadServerEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  return parseEnv(schema, source, "Invalid environment for @tenantry/api serve:");
}
