// The API process is killed (SIGKILL) while it provisions a tenant through the admin API. After
// a restart, the recovery sweep must finish the tenant (owner already made) or remove every trace
// of it: no tenant left in "provisioning", no orphan database, no orphan directory entry.
import type { Db } from "mongodb";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ApiChild, MongoChild } from "./child-processes";
import { startApiChild, startMongoChild } from "./child-processes";
import { callProcedure } from "./trpc-over-http";
import {
  ADMIN,
  OWNER_PASSWORD,
  apiEnv,
  createAdmin,
  newDeployment,
  openTenancy,
  provisionTenants,
} from "./tenant-fixtures";
import type { Deployment } from "./tenant-fixtures";

/** Short claim, so the restarted process may take over without waiting the default 60 s. */
const LEASE_MS = 1_500;
// Four API processes start at once on two cores: give the start-up connection more than the
// default 1.5 s server-selection budget (this test is about crashes, not slow databases).
// A 1 s periodic sweep (tenancy's default is 5 min) lets the immediate-restart case resolve in-test.
const KNOBS = JSON.stringify({
  provisionLeaseMs: LEASE_MS,
  unavailableAfterMs: 10_000,
  recoverySweepIntervalMs: 1_000,
});

let mongo: MongoChild;
let deployment: Deployment;
let client: MongoClient;
let control: Db;
const running: ApiChild[] = [];

beforeAll(async () => {
  mongo = await startMongoChild();
  deployment = newDeployment(mongo.uri);
  const tenancy = await openTenancy(deployment);
  try {
    await createAdmin(tenancy);
    await provisionTenants(tenancy, 2, { prefix: "bystander" });
  } finally {
    await tenancy.shutdown({ timeoutMs: 2000 });
  }
  client = await new MongoClient(mongo.uri).connect();
  control = client.db(deployment.controlDbName);
}, 60_000);

afterAll(async () => {
  for (const api of running) await api.stop();
  await client?.close();
  await mongo?.stop();
});

async function startApi(extra: Record<string, string> = {}): Promise<ApiChild> {
  const api = await startApiChild(
    apiEnv(deployment, { RELIABILITY_TENANCY: KNOBS, ...extra }),
    "with-tenancy-knobs",
  );
  running.push(api);
  return api;
}

async function adminToken(url: string): Promise<string> {
  const r = await callProcedure(url, "admin", "mutation", "auth.login", ADMIN);
  const token = (r.data as { accessToken?: string } | null)?.accessToken;
  if (!token) throw new Error(`admin login: ${r.raw.slice(0, 300)}`);
  return token;
}

function createTenant(url: string, token: string, slug: string, ownerEmail = `owner@${slug}.test`) {
  return callProcedure(
    url,
    "admin",
    "mutation",
    "tenants.create",
    {
      slug,
      name: `Crash ${slug}`,
      owner: { email: ownerEmail, name: "Owner", password: OWNER_PASSWORD },
    },
    { token },
  ).catch((err: Error) => ({ ok: false as const, status: 0, raw: err.message }));
}

interface TenantRow {
  _id: unknown;
  slug: string;
  status: string;
  dbName: string;
  provisioning?: { step?: string; claimedUntil?: Date } | null;
}

/** Databases, directory entries and records must agree: nothing half-made anywhere. */
async function orphans(): Promise<{
  databases: string[];
  directory: string[];
  provisioning: string[];
}> {
  const tenants = await control.collection<TenantRow>("tenants").find({}).toArray();
  const dbNames = new Set(tenants.map((t) => t.dbName));
  const ids = new Set(tenants.map((t) => String(t._id)));
  const dbs = (await client.db().admin().listDatabases({ nameOnly: true })).databases.map(
    (d) => d.name,
  );
  const directory = await control
    .collection<{ email: string; tenantId: unknown }>("directory")
    .find({})
    .toArray();
  return {
    databases: dbs.filter((n) => n.startsWith("t_") && !dbNames.has(n)),
    directory: directory.filter((d) => !ids.has(String(d.tenantId))).map((d) => d.email),
    provisioning: tenants.filter((t) => t.status === "provisioning").map((t) => t.slug),
  };
}

/** Restart after the dead process's claim has lapsed; the sweep runs during start-up. */
async function restartAfterLease(slugs: string[]): Promise<ApiChild> {
  const rows = await control
    .collection<TenantRow>("tenants")
    .find({ slug: { $in: slugs } })
    .toArray();
  const until = Math.max(0, ...rows.map((r) => r.provisioning?.claimedUntil?.getTime() ?? 0));
  await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now() + 100)));
  return startApi();
}

async function expectResolved(api: ApiChild, slug: string, stepAtCrash: string) {
  const completes = ["owner", "directory", "active"].includes(stepAtCrash);
  const row = await control.collection<TenantRow>("tenants").findOne({ slug });
  const login = await callProcedure(api.url, "app", "mutation", "auth.login", {
    email: `owner@${slug}.test`,
    password: OWNER_PASSWORD,
    tenantSlug: slug,
  });
  if (completes) {
    expect(row?.status).toBe("active");
    expect(login.ok, login.raw).toBe(true);
  } else {
    expect(row).toBeNull();
    expect(login.ok).toBe(false);
    expect(
      await control.collection("directory").countDocuments({ email: `owner@${slug}.test` }),
    ).toBe(0);
  }
  const audit = await control
    .collection<{ action: string; tenantSlug?: string }>("audit")
    .find({ tenantSlug: slug })
    .toArray();
  expect(audit.map((a) => a.action)).toContain(
    completes ? "tenant.provisioned.recovered" : "tenant.provision.rolledBack",
  );
  expect(await orphans()).toEqual({ databases: [], directory: [], provisioning: [] });
  // The slug is free again (rolled back) or belongs to the finished tenant (completed): another
  // owner cannot take it. (The same owner would get the existing tenant back: provisioning is idempotent.)
  const again = await createTenant(api.url, await adminToken(api.url), slug, `other@${slug}.test`);
  if (completes) expect(again.ok).toBe(false);
  else expect(again.ok, again.raw).toBe(true);
}

describe("API killed with SIGKILL during provisioning", () => {
  // The short form crashes on both sides of the decision point (owner user made or not);
  // RELIABILITY_FULL=1 crashes after every step.
  const STEPS =
    process.env.RELIABILITY_FULL === "1"
      ? (["record", "database", "owner", "directory"] as const)
      : (["database", "owner"] as const);

  it(`crash right after each saga step (${STEPS.join(", ")}): one restart's recovery sweep removes the tenants made before "owner" and completes the others`, async () => {
    // One API process per crash point, in parallel: each dies inside its own tenants.create.
    const doomed = await Promise.all(
      STEPS.map((step) => startApi({ RELIABILITY_CRASH_AFTER_STEP: step })),
    );
    await Promise.all(
      STEPS.map(async (step, i) => {
        const api = doomed[i] as ApiChild;
        const res = await createTenant(api.url, await adminToken(api.url), `crash-${step}`);
        expect(res.ok).toBe(false); // the connection died with the process
        expect(await api.exited).toBeNull(); // killed by a signal, no exit code
        expect(api.child.signalCode).toBe("SIGKILL");
      }),
    );
    for (const step of STEPS) {
      const row = await control.collection<TenantRow>("tenants").findOne({ slug: `crash-${step}` });
      expect(row?.status).toBe("provisioning");
      expect(row?.provisioning?.step).toBe(step);
    }

    const api = await restartAfterLease(STEPS.map((s) => `crash-${s}`));
    for (const step of STEPS) await expectResolved(api, `crash-${step}`, step);
    await api.stop();
  }, 90_000);

  it("an external kill -9 timed mid-saga, restarted at once (claim still live): the periodic sweep resolves it", async () => {
    const slug = "crash-timed";
    // A claim long enough to outlive the restart, so the start-up sweep must skip it.
    const longClaim = {
      RELIABILITY_TENANCY: JSON.stringify({
        provisionLeaseMs: 12_000,
        unavailableAfterMs: 10_000,
        recoverySweepIntervalMs: 1_000,
      }),
    };
    const doomed = await startApi(longClaim);
    const token = await adminToken(doomed.url);
    const pending = createTenant(doomed.url, token, slug);
    // Kill as soon as the saga has made its record (the owner's argon2 hash keeps it busy a while).
    let stepAtKill = "";
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      const row = await control.collection<TenantRow>("tenants").findOne({ slug });
      if (row) {
        process.kill(doomed.pid, "SIGKILL");
        await doomed.exited;
        const after = await control.collection<TenantRow>("tenants").findOne({ slug });
        stepAtKill =
          after?.status === "provisioning"
            ? (after.provisioning?.step ?? "record")
            : (after?.status ?? "gone");
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await pending;
    console.info(`timed kill landed after step "${stepAtKill}"`);
    expect(stepAtKill).not.toBe("");
    // Restart immediately, as a process supervisor would: the start-up sweep finds the dead
    // process's claim still live and skips it; the periodic sweep must take over once it lapses.
    const api = await startApi(longClaim);
    const started = Date.now();
    const atRestart = await control.collection<TenantRow>("tenants").findOne({ slug });
    const claimLiveAtRestart =
      atRestart?.status === "provisioning" &&
      (atRestart.provisioning?.claimedUntil?.getTime() ?? 0) > started;
    let resolvedAfterMs = -1;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      const row = await control.collection<TenantRow>("tenants").findOne({ slug });
      if (row?.status !== "provisioning") {
        resolvedAfterMs = Date.now() - started;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    console.info(
      `resolved ${resolvedAfterMs} ms after the restart (claim live at restart: ${claimLiveAtRestart})`,
    );
    expect(claimLiveAtRestart).toBe(true);
    expect(resolvedAfterMs).toBeGreaterThanOrEqual(0);
    await expectResolved(api, slug, stepAtKill);
  }, 90_000);
});
