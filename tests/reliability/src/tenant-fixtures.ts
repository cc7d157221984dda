// Tenants made through packages/tenancy's real provisioning saga (not raw inserts), straight on
// the databases: far faster than the admin API for a thousand tenants, and the owner hashes use
// cheap argon2id parameters so logins under load measure the API, not the hash.
import { randomBytes } from "node:crypto";

import type { Tenancy, TenancyConfig } from "@tenantry/tenancy";
import { APP_MODULES } from "@tenantry/api";
import { createTenancy } from "@tenantry/tenancy";
import { controlModelsOf } from "@tenantry/tenancy/testing";

export const OWNER_PASSWORD = "Correct-Horse-42-Battery!";
export const ADMIN = { email: "root@reliability.test", password: "Sup3r-Admin-Passw0rd!" };
/** argon2id, real format and algorithm, at test speed. */
const CHEAP_HASHING = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface Deployment {
  uri: string;
  controlDbName: string;
  encryptionKey: string;
  jwtSecret: string;
}

export function newDeployment(uri: string): Deployment {
  return {
    uri,
    controlDbName: `ctl_${randomBytes(4).toString("hex")}`,
    encryptionKey: randomBytes(32).toString("base64"),
    jwtSecret: randomBytes(32).toString("hex"),
  };
}

/** The API child's environment for this deployment. */
export function apiEnv(d: Deployment, extra: Record<string, string> = {}) {
  return {
    MONGODB_URI: d.uri,
    CONTROL_DB_NAME: d.controlDbName,
    ENCRYPTION_KEY: d.encryptionKey,
    JWT_SECRET: d.jwtSecret,
    // The one admin signs in many times a minute; a single-use code per 30 s step cannot serve that.
    ADMIN_TWO_FACTOR: "optional",
    ...extra,
  };
}

export function openTenancy(
  d: Deployment,
  overrides: Partial<TenancyConfig> = {},
): Promise<Tenancy> {
  return createTenancy({
    modules: APP_MODULES,
    controlUri: d.uri,
    controlDbName: d.controlDbName,
    encryptionKey: d.encryptionKey,
    passwordHashing: CHEAP_HASHING,
    ...overrides,
  });
}

export interface TenantSeed {
  id: string;
  slug: string;
  email: string;
  cluster: string;
}

/** Provisions `count` tenants `${prefix}-${i}` with bounded concurrency; one owner each. */
export async function provisionTenants(
  tenancy: Tenancy,
  count: number,
  opts: {
    prefix?: string;
    cluster?: string;
    concurrency?: number;
    onProgress?: (done: number) => void;
  } = {},
): Promise<TenantSeed[]> {
  const prefix = opts.prefix ?? "t";
  const seeds: TenantSeed[] = new Array<TenantSeed>(count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const slug = `${prefix}-${String(i).padStart(4, "0")}`;
      const email = `owner@${slug}.test`;
      const record = await tenancy.lifecycle.provision({
        slug,
        name: `Tenant ${slug}`,
        owner: { email, name: `Owner ${slug}`, password: OWNER_PASSWORD },
        ...(opts.cluster ? { cluster: opts.cluster } : {}),
        // Load runs write for up to an hour: their tenants must not stop at the free plan's limits.
        plan: "enterprise",
      });
      seeds[i] = { id: record.id, slug, email, cluster: record.cluster };
      opts.onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return seeds;
}

/** A super admin with a cheap hash, so fuzzing the admin router does not wait on argon2. */
export async function createAdmin(tenancy: Tenancy): Promise<void> {
  const { Admin } = controlModelsOf(tenancy);
  if (await Admin.exists({ email: ADMIN.email })) return;
  await Admin.create({
    email: ADMIN.email,
    name: "Reliability root",
    passwordHash: await tenancy.passwords.hash(ADMIN.password),
  });
}
