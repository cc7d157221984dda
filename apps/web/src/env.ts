// The only place apps/web reads its configuration: the variables both apps read come from
// @tenantry/next-kit/env (validated on first use, so `next build` needs no secrets).
import { createAppEnv, pagePolicyEnv } from "@tenantry/next-kit/env";

export const { getEnv, cookieSecure } = createAppEnv("web", {});

export const policyEnv = pagePolicyEnv();
