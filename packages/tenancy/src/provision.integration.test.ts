// Point 6: a crash after each provisioning step, then a retry or a restart's recovery sweep,
// leaves either a complete tenant or no trace of it.
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  listDatabaseNames,
  owner,
  startServer,
  testConfig,
  uniqueName,
} from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import type { ProvisionStep, TenancyConfig } from "./config";
import { PROVISION_STEPS } from "./provision";
import { verifyPassword } from "./password-hashing";
import type { Tenancy } from "./tenancy";
import { createTenancy } from "./tenancy";

class InjectedCrash extends Error {}

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

function crashingConfig(base: TenancyConfig, at: ProvisionStep): TenancyConfig {
  let armed = true;
  return {
    ...base,
    hooks: {
      afterProvisionStep(step) {
        if (armed && step === at) {
          armed = false;
          throw new InjectedCrash(`crash after ${step}`);
        }
      },
    },
  };
}

async function expectComplete(tenancy: Tenancy, slug: string): Promise<void> {
  const record = await tenancy.registry.getBySlug(slug);
  expect(record.status).toBe("active");
  expect(await tenancy.directory.findByEmail(owner(slug).email)).toEqual([
    expect.objectContaining({ tenantId: record.id, role: "owner" }),
  ]);
  await tenancy.withTenant(record.id, async ({ models }) => {
    const users = await models.User.find().lean();
    expect(users).toHaveLength(1);
    expect(await verifyPassword(users[0]?.passwordHash ?? "", owner(slug).password)).toBe(true);
    const indexes = await models.User.collection.listIndexes().toArray();
    expect(indexes.some((i) => i.unique && i.key.email === 1)).toBe(true);
  });
}

async function expectNoTrace(uri: string, controlDbName: string, slug: string): Promise<void> {
  const client = new MongoClient(uri);
  try {
    const control = client.db(controlDbName);
    expect(await control.collection("tenants").countDocuments({ slug })).toBe(0);
    expect(await control.collection("directory").countDocuments({ email: owner(slug).email })).toBe(
      0,
    );
  } finally {
    await client.close();
  }
  const dbs = await listDatabaseNames(uri);
  expect(dbs.filter((d) => d.startsWith("t_")).length).toBe(0); // this file's tenants are all gone
}

describe.each(PROVISION_STEPS.map((s) => [s]))("crash after %s", (step) => {
  it("a retry of the same request completes the tenant", async () => {
    const base = testConfig(server.uri);
    const tenancy = await createTenancy(crashingConfig(base, step));
    const slug = `retry-${step}`;
    try {
      await expect(
        tenancy.lifecycle.provision({ slug, name: slug, owner: owner(slug) }),
      ).rejects.toBeInstanceOf(InjectedCrash);
      const again = await tenancy.lifecycle.provision({ slug, name: slug, owner: owner(slug) });
      expect(again.status).toBe("active");
      await expectComplete(tenancy, slug);
    } finally {
      await tenancy.shutdown();
      await dropAllTenants(server.uri, base.controlDbName ?? "");
    }
  });

  it("the recovery sweep at the next start-up completes it or removes every trace", async () => {
    const base = testConfig(server.uri, {
      controlDbName: uniqueName("ctl"),
      provisionLeaseMs: 100,
    });
    const crashed = await createTenancy(crashingConfig(base, step));
    const slug = `sweep-${step}`;
    await expect(
      crashed.lifecycle.provision({ slug, name: slug, owner: owner(slug) }),
    ).rejects.toBeInstanceOf(InjectedCrash);
    await crashed.shutdown(); // the "process" dies; its claim lapses after provisionLeaseMs
    await new Promise((r) => setTimeout(r, 150));

    const restarted = await createTenancy(base); // runs the recovery sweep
    try {
      const forward = PROVISION_STEPS.indexOf(step) >= PROVISION_STEPS.indexOf("owner");
      if (forward) {
        await expectComplete(restarted, slug);
      } else {
        await expectNoTrace(server.uri, base.controlDbName ?? "", slug);
        // ...and the slug can be provisioned afresh.
        await restarted.lifecycle.provision({ slug, name: slug, owner: owner(slug) });
        await expectComplete(restarted, slug);
      }
    } finally {
      await restarted.shutdown();
      await dropAllTenants(server.uri, base.controlDbName ?? "");
    }
  });
});

it("a crash in the middle of the database step (half the migrations applied) also leaves no trace", async () => {
  let armed = true;
  const base = testConfig(server.uri, {
    provisionLeaseMs: 100,
    migrations: [
      {
        version: 6,
        name: "crashes-once",
        async up() {
          if (armed) {
            armed = false;
            throw new InjectedCrash("crash inside migration 6");
          }
        },
      },
    ],
  });
  const crashed = await createTenancy(base);
  await expect(
    crashed.lifecycle.provision({ slug: "mid-db", name: "x", owner: owner("mid-db") }),
  ).rejects.toBeInstanceOf(InjectedCrash);
  expect((await listDatabaseNames(server.uri)).filter((d) => d.startsWith("t_"))).toHaveLength(1); // half-built
  await crashed.shutdown();
  await new Promise((r) => setTimeout(r, 150));
  const restarted = await createTenancy(base);
  try {
    await expectNoTrace(server.uri, base.controlDbName ?? "", "mid-db");
  } finally {
    await restarted.shutdown();
    await dropAllTenants(server.uri, base.controlDbName ?? "");
  }
});

it("the sweep leaves a provisioning claimed by a live worker alone", async () => {
  const base = testConfig(server.uri, { provisionLeaseMs: 60_000 });
  const a = await createTenancy(crashingConfig(base, "database"));
  await expect(
    a.lifecycle.provision({ slug: "live-claim", name: "x", owner: owner("live-claim") }),
  ).rejects.toBeInstanceOf(InjectedCrash);
  const b = await createTenancy({ ...base, recoverOnStart: false });
  try {
    const report = await b.lifecycle.recoverySweep();
    expect(report.skipped).toEqual([expect.objectContaining({ slug: "live-claim" })]);
    expect(report.rolledBack).toEqual([]);
    // The worker holding the claim can still finish.
    await a.lifecycle.provision({ slug: "live-claim", name: "x", owner: owner("live-claim") });
    await expectComplete(b, "live-claim");
  } finally {
    await a.shutdown();
    await b.shutdown();
    await dropAllTenants(server.uri, base.controlDbName ?? "");
  }
});

/** Each case starts from an empty server so "no orphan database" can be checked exactly. */
async function dropAllTenants(uri: string, controlDbName: string): Promise<void> {
  const client = new MongoClient(uri);
  try {
    for (const name of await listDatabaseNames(uri))
      if (name.startsWith("t_")) await client.db(name).dropDatabase();
    await client.db(controlDbName).dropDatabase();
  } finally {
    await client.close();
  }
}
