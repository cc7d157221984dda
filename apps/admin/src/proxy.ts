import { createPageProxy } from "@tenantry/ui/page-proxy";
import { policyEnv } from "./env";
import { formAction } from "./form-action";
import { ACCESS_COOKIE, PUBLIC_PATHS, REFRESH_COOKIE } from "./session-cookies";

// The session gate, next= check and page nonce policy both apps share (packages/ui); pages may
// post the impersonation hand-off to the web app.
export const proxy = createPageProxy({
  accessCookie: ACCESS_COOKIE,
  refreshCookie: REFRESH_COOKIE,
  publicPaths: PUBLIC_PATHS,
  policyEnv,
  formAction,
});

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|robots.txt).*)"],
};
