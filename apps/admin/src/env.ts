// The only place apps/admin reads its configuration: the variables both apps read come from
// @tenantry/next-kit/env (validated on first use, so `next build` needs no secrets).
import { adminTwoFactorEnv, firstAdminEnv } from "@tenantry/api/env";
import { createAppEnv, pagePolicyEnv } from "@tenantry/next-kit/env";
import { clusterUriPolicyEnv } from "@tenantry/tenancy";
import { z } from "zod";

export const { getEnv, cookieSecure } = createAppEnv("admin", {
  ...firstAdminEnv,
  // "optional" only for test stacks: super admins otherwise enrol before any privileged action.
  ...adminTwoFactorEnv,
  // The dedicated folder (kept 0700) tenant export archives wait in for their download.
  EXPORT_DIR: z.string().min(1).default(".data/exports"),
  // How long an archive nobody downloads stays there.
  EXPORT_TTL_SECONDS: z.coerce
    .number({ error: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .min(1, "must be at least 1")
    .max(86_400, "must be at most 86400 (a day)")
    .default(600),
  // Which cluster URIs super admins may add (packages/tenancy cluster-uri-policy.ts); unset: loopback.
  ...clusterUriPolicyEnv,
});

// The page CSP's form-action names the tenant app (the impersonation hand-off).
export const policyEnv = pagePolicyEnv(["WEB_URL"]);
