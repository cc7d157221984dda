// Which cluster URIs may be registered (clusters.add, from the admin API and the CLI alike). A
// super admin's URI makes this server open connections, so it is checked before any connection:
// the scheme, every host against an allow-list of patterns, and the URI options that would read
// local files or reach credential endpoints (cloud metadata, Kerberos, a proxy) unless listed.
import { ConnectionString } from "mongodb-connection-string-url";
import { z } from "zod";

import { InvalidInput } from "./errors";

export interface ClusterUriPolicy {
  /**
   * Host patterns: an exact name or address (`db1.internal`, `10.0.0.5`, `::1`), or `*.` and a
   * domain for any name below it (`*.mongodb.net`). Ports are not part of a pattern.
   */
  hostAllowlist: string[];
  /**
   * Options refused by default that are allowed anyway, by name (`tlsCAFile`), or for
   * authMechanism by value (`authMechanism=MONGODB-AWS`).
   */
  allowedOptions: string[];
}

/** Loopback only: development and tests; production lists its cluster hosts. */
export const DEFAULT_CLUSTER_URI_POLICY: ClusterUriPolicy = {
  hostAllowlist: ["127.0.0.1", "localhost", "::1"],
  allowedOptions: [],
};

/** Options that make the driver read a local file or talk to something other than the hosts. */
const RISKY_OPTIONS = [
  "tlsCAFile",
  "tlsCertificateKeyFile",
  "tlsCertificateKeyFilePassword",
  "tlsCRLFile",
  "sslCA",
  "sslCert",
  "sslKey",
  "sslCRL",
  "proxyHost",
  "proxyPort",
  "proxyUsername",
  "proxyPassword",
  "authMechanismProperties",
];
/** Mechanisms that fetch credentials from the environment (cloud metadata endpoints, Kerberos). */
const RISKY_MECHANISMS = ["MONGODB-AWS", "MONGODB-OIDC", "GSSAPI"];

const HOST_PATTERN = /^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*$|^[0-9a-f:]+$/;

const patternSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(HOST_PATTERN, "must be a host name, an IP address or *.domain, without a port");

export const clusterUriPolicySchema = z.object({
  hostAllowlist: z.array(patternSchema).min(1, "must list at least one host pattern"),
  allowedOptions: z.array(
    z
      .string()
      .trim()
      .refine(
        (o) => RISKY_OPTIONS.some((r) => r.toLowerCase() === o.toLowerCase()) || isMechanism(o),
        `must name one of ${RISKY_OPTIONS.join(", ")} or authMechanism=${RISKY_MECHANISMS.join("|")}`,
      ),
  ),
});

function isMechanism(entry: string): boolean {
  const [key, value] = entry.split("=");
  return key?.toLowerCase() === "authmechanism" && RISKY_MECHANISMS.includes(value ?? "");
}

/**
 * The two environment variables that configure the policy, validated once here and composed into
 * every env schema that creates a tenancy (admin app, standalone API server, CLI).
 */
export const clusterUriPolicyEnv = {
  CLUSTER_HOST_ALLOWLIST: z
    .string()
    .optional()
    .transform((v) => (v === undefined ? undefined : splitList(v)))
    .pipe(clusterUriPolicySchema.shape.hostAllowlist.optional()),
  CLUSTER_URI_ALLOWED_OPTIONS: z
    .string()
    .optional()
    .transform(splitList)
    .pipe(clusterUriPolicySchema.shape.allowedOptions),
};

/** The parsed variables as the `clusterUriPolicy` of createTenancy (unset = loopback only). */
export function clusterUriPolicyFromEnv(env: {
  CLUSTER_HOST_ALLOWLIST?: string[] | undefined;
  CLUSTER_URI_ALLOWED_OPTIONS: string[];
}): Partial<ClusterUriPolicy> {
  return {
    ...(env.CLUSTER_HOST_ALLOWLIST ? { hostAllowlist: env.CLUSTER_HOST_ALLOWLIST } : {}),
    allowedOptions: env.CLUSTER_URI_ALLOWED_OPTIONS,
  };
}

/** A comma-separated list (an env var) as a list of entries; empty entries dropped. */
function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function hostOf(hostPort: string): string {
  const host = hostPort.startsWith("[") ? hostPort.slice(1, hostPort.indexOf("]")) : hostPort;
  return (hostPort.startsWith("[") ? host : (host.split(":")[0] ?? "")).toLowerCase();
}

function hostAllowed(host: string, patterns: string[]): boolean {
  return patterns.some((p) =>
    p.startsWith("*.") ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p,
  );
}

/** A refused URI is a wrong argument (the CLI's usage exit), so the message is also its issue. */
const refusedUri = (message: string) => new InvalidInput(message, [message]);

/** Throws InvalidInput naming what is not allowed; returns nothing when the URI may be used. */
export function assertClusterUriAllowed(uri: string, policy: ClusterUriPolicy): void {
  let parsed: ConnectionString;
  try {
    parsed = new ConnectionString(uri);
  } catch {
    throw refusedUri("Invalid cluster URI: it must be a mongodb:// or mongodb+srv:// URI");
  }
  const refused = parsed.hosts.map(hostOf).filter((h) => !hostAllowed(h, policy.hostAllowlist));
  if (refused.length > 0) {
    throw refusedUri(
      `Cluster host ${refused.join(", ")} is not on the cluster host allow-list (CLUSTER_HOST_ALLOWLIST)`,
    );
  }
  const allowed = new Set(policy.allowedOptions.map((o) => o.toLowerCase()));
  const bad: string[] = [];
  parsed.searchParams.forEach((value, name) => {
    const key = name.toLowerCase();
    if (RISKY_OPTIONS.some((r) => r.toLowerCase() === key) && !allowed.has(key)) bad.push(name);
    if (key === "authmechanism" && RISKY_MECHANISMS.includes(value.toUpperCase())) {
      if (!allowed.has(`authmechanism=${value.toLowerCase()}`)) bad.push(`${name}=${value}`);
    }
  });
  if (bad.length > 0) {
    throw refusedUri(
      `Cluster URI option ${bad.join(", ")} is not allowed: it reads local files or fetches credentials from elsewhere`,
    );
  }
}
