// The CLI's configuration: the same variables the apps read (.env.example), with the same rules.
import { clusterUriPolicyEnv, clusterUriPolicyFromEnv } from "@tenantry/tenancy";
import type { ClusterUriPolicy, ResetUrls } from "@tenantry/tenancy";
import { databaseEnv, encryptionKeyEnv, mailEnv } from "@tenantry/tenancy/env";
import { z } from "zod";

import { CliError, EXIT } from "./exit-codes";

export interface CliConfig {
  controlUri: string;
  controlDbName: string;
  encryptionKey: string;
  clusterUriPolicy: Partial<ClusterUriPolicy>;
  /** `tenants send-owner-reset`: the SMTP server (unset: the command refuses) and the links' pages. */
  mail: { smtpUrl: string | undefined; from: string; resetUrls: ResetUrls };
  /** `billing draft`: the folder invoice drafts go to (BILLING_DRAFT_DIR). */
  billing: { draftDir: string };
}

// The database and key rules are tenancy's (the same ones the API and the apps obey).
const schema = z.object({
  MONGODB_URI: databaseEnv.MONGODB_URI,
  ...encryptionKeyEnv,
  // The CLI's own name for CONTROL_DB_NAME (either is accepted, see readCliConfig).
  TENANTRY_CONTROL_DB: databaseEnv.CONTROL_DB_NAME,
  // `clusters add` obeys the same URI policy as the admin app (unset: loopback hosts only).
  ...clusterUriPolicyEnv,
  ...mailEnv,
  // Where reset links point, as the apps read them.
  WEB_URL: z.url("must be a URL such as http://localhost:3000").default("http://localhost:3000"),
  ADMIN_URL: z.url("must be a URL such as http://localhost:3001").default("http://localhost:3001"),
  BILLING_DRAFT_DIR: z.string().trim().min(1).default(".data/invoice-drafts"),
});

export function readCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  // The API and apps read CONTROL_DB_NAME; accepting it too lets the CLI run inside their
  // containers unchanged. Two different values would point at two control databases: refuse.
  const named = env.TENANTRY_CONTROL_DB || undefined;
  const fallback = env.CONTROL_DB_NAME || undefined;
  if (named && fallback && named !== fallback) {
    const detail = `TENANTRY_CONTROL_DB (${named}) and CONTROL_DB_NAME (${fallback}) disagree; set one`;
    throw new CliError(EXIT.config, "CONFIG", `Configuration error: ${detail}`, [detail]);
  }
  const parsed = schema.safeParse({
    MONGODB_URI: env.MONGODB_URI,
    ENCRYPTION_KEY: env.ENCRYPTION_KEY,
    TENANTRY_CONTROL_DB: named ?? fallback,
    CLUSTER_HOST_ALLOWLIST: env.CLUSTER_HOST_ALLOWLIST,
    CLUSTER_URI_ALLOWED_OPTIONS: env.CLUSTER_URI_ALLOWED_OPTIONS,
    SMTP_URL: env.SMTP_URL || undefined,
    MAIL_FROM: env.MAIL_FROM || undefined,
    WEB_URL: env.WEB_URL || undefined,
    ADMIN_URL: env.ADMIN_URL || undefined,
    BILLING_DRAFT_DIR: env.BILLING_DRAFT_DIR || undefined,
  });
  if (!parsed.success) {
    // One message per variable: the first problem is the one to fix.
    const byVar = new Map<string, string>();
    for (const i of parsed.error.issues) {
      const key = i.path.join(".");
      if (!byVar.has(key)) byVar.set(key, `${key} ${i.message}`);
    }
    const details = [...byVar.values()];
    throw new CliError(
      EXIT.config,
      "CONFIG",
      `Configuration error: ${details.join("; ")}`,
      details,
    );
  }
  return {
    controlUri: parsed.data.MONGODB_URI,
    controlDbName: parsed.data.TENANTRY_CONTROL_DB,
    encryptionKey: parsed.data.ENCRYPTION_KEY,
    clusterUriPolicy: clusterUriPolicyFromEnv(parsed.data),
    mail: {
      smtpUrl: parsed.data.SMTP_URL,
      from: parsed.data.MAIL_FROM,
      resetUrls: {
        tenant: `${parsed.data.WEB_URL.replace(/\/$/, "")}/reset-password`,
        admin: `${parsed.data.ADMIN_URL.replace(/\/$/, "")}/reset-password`,
      },
    },
    billing: { draftDir: parsed.data.BILLING_DRAFT_DIR },
  };
}

/** The OS user, recorded as the actor of CLI actions in the audit log. */
export function osUser(env: NodeJS.ProcessEnv = process.env): string {
  return env.USER ?? env.LOGNAME ?? "unknown";
}
