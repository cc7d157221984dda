import { createPageProxy } from "@tenantry/ui/page-proxy";
import { policyEnv } from "./env";
import { ACCESS_COOKIE, PUBLIC_PATHS, REFRESH_COOKIE } from "./session-cookies";

// The session gate, next= check and page nonce policy both apps share (packages/ui).
export const proxy = createPageProxy({
  accessCookie: ACCESS_COOKIE,
  refreshCookie: REFRESH_COOKIE,
  publicPaths: PUBLIC_PATHS,
  policyEnv,
});

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|robots.txt).*)"],
};
