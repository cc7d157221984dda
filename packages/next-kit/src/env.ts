// What both Next apps read from process.env: the shared fragments composed once, validated on
// first use (not at import) so that `next build` works without secrets; a missing or bad value
// stops the server with a clear list. Each app adds its own variables (createAppEnv's `own`).
import { cookieSecure, jwtEnv, logEnv, nodeEnv, parseEnv, webEnv } from "@tenantry/api/env";
import {
  databaseEnv,
  encryptionKeyEnv,
  fleetEnv,
  jobsEnv,
  mailEnv,
  usageEnv,
  webhooksEnv,
} from "@tenantry/tenancy/env";
import { z } from "zod";

const appEnv = {
  ...nodeEnv,
  ...databaseEnv,
  ...jwtEnv,
  ...logEnv,
  ...encryptionKeyEnv,
  ...webEnv,
  ...mailEnv,
  ...usageEnv,
  ...fleetEnv,
  ...webhooksEnv,
  ...jobsEnv,
  // The admin app: the only origin that may hand an impersonation token to the tenant app.
  ADMIN_URL: z.url("must be a URL such as http://localhost:3001").default("http://localhost:3001"),
};

type SharedEnv = z.output<z.ZodObject<typeof appEnv>>;

export function createAppEnv<Own extends z.ZodRawShape>(app: "web" | "admin", own: Own) {
  type Env = SharedEnv & z.output<z.ZodObject<Own>>;
  const schema = z.object({ ...appEnv, ...own });
  let cached: Env | undefined;

  function getEnv(): Env {
    cached ??= parseEnv(schema, process.env, `apps/${app}: invalid environment`) as Env;
    return cached;
  }

  return {
    getEnv,
    cookieSecure: (env = getEnv()) => cookieSecure(env),
  };
}

/**
 * What the page CSP depends on, for the proxy on every page request: only non-secret settings,
 * read as they are (the policy builder treats a missing value as its default).
 */
export function pagePolicyEnv(extra: readonly string[] = []) {
  const names = ["NODE_ENV", "INSECURE_COOKIES", ...extra];
  return (): Record<string, string | undefined> =>
    Object.fromEntries(names.map((name) => [name, process.env[name]]));
}
