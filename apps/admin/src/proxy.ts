import { createSessionProxy } from "@tenantry/next-kit/proxy";
import { policyEnv } from "./env";
import { formAction } from "./form-action";
import { PUBLIC_PATHS } from "./public-paths";

// The session gate, next= check and page nonce policy both apps share (@tenantry/next-kit); pages may
// post the impersonation hand-off to the web app.
export const proxy = createSessionProxy({
  surface: "admin",
  publicPaths: PUBLIC_PATHS,
  policyEnv,
  formAction,
});

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|robots.txt).*)"],
};
