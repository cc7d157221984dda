import { createSessionProxy } from "@tenantry/next-kit/proxy";
import { policyEnv } from "./env";
import { PUBLIC_PATHS } from "./public-paths";

// The session gate, next= check and page nonce policy both apps share (@tenantry/next-kit).
export const proxy = createSessionProxy({
  surface: "app",
  publicPaths: PUBLIC_PATHS,
  policyEnv,
});

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|robots.txt).*)"],
};
