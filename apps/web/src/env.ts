// The only place apps/web reads its configuration: the variables both apps read come from
// @tenantry/next-kit/env (validated on first use, so `next build` needs no secrets).
import { apiKeyRateLimitEnv } from "@tenantry/api/env";
import { admissionEnv } from "@tenantry/tenancy/env";
import { createAppEnv, pagePolicyEnv } from "@tenantry/next-kit/env";

// Programs may call the app's tRPC endpoint with API keys too, under the same limits; its tenant
// calls go through the same per-tenant admission as the api server's.
export const { getEnv, cookieSecure } = createAppEnv("web", {
  ...apiKeyRateLimitEnv,
  ...admissionEnv,
});

export const policyEnv = pagePolicyEnv();
