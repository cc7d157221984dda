// The platform's scheduled work as recurring jobs: the purge of deleted tenants past their grace
// period and the usage snapshots of every tenant run on their interval; the recovery sweep is
// scheduled beside them; a restarting instance keeps the schedule it finds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../../test/tenancy-fixture";
import type { TestServer } from "../../test/tenancy-fixture";
import type { TestTenancy } from "../../test/fixture-module";
import { createTenancy } from "../tenancy";

let server: TestServer;
let base: ReturnType<typeof testConfig>;
let tenancy: TestTenancy;

async function until(what: string, check: () => Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  server = await startServer();
  base = testConfig(server.uri, {
    deleteGraceMs: 0,
    recoverySweepIntervalMs: 60_000,
    usage: { flushSeconds: 0 },
    jobs: { pollMs: 100, purgeExpiredEveryMs: 300, usageSnapshotEveryMs: 300 },
  });
  tenancy = await createTenancy(base);
}, 60_000);

afterAll(async () => {
  await tenancy?.shutdown();
  await server?.stop();
});

describe("scheduled jobs", () => {
  it("purges expired deleted tenants and snapshots every tenant's usage on their interval", async () => {
    const kept = await tenancy.lifecycle.provision({
      slug: "sched-kept",
      name: "Kept",
      owner: owner("k"),
    });
    const gone = await tenancy.lifecycle.provision({
      slug: "sched-gone",
      name: "Gone",
      owner: owner("g"),
    });
    await tenancy.lifecycle.softDelete(gone.id);
    await tenancy.jobs.start();
    const schedule = await tenancy.jobs.list();
    expect(Object.fromEntries(schedule.map((j) => [j.name, j.tenantId]))).toEqual({
      "tenancy.purgeExpired": null,
      "tenancy.recoverySweep": null,
      "tenancy.usageSnapshots": null,
    });
    await until(
      "the purge job",
      async () => (await tenancy.tenants.get(gone.id)).status === "purged",
    );
    // Nobody called "kept" today, yet its seats were measured by the snapshot job.
    await until("a usage snapshot", async () => {
      const [today] = (await tenancy.usage.daily(kept.id, 1)).slice(-1);
      return today?.seats === 1;
    });
    expect((await tenancy.tenants.get(kept.id)).status).toBe("active");
  });

  it("a restarting instance keeps the schedule it finds instead of postponing it", async () => {
    const before = await tenancy.jobs.list({ name: "tenancy.recoverySweep" });
    const second = await createTenancy(base);
    try {
      await second.jobs.start();
      const after = await second.jobs.list({ name: "tenancy.recoverySweep" });
      expect(after).toHaveLength(1);
      expect(after[0]?.nextRunAt).toEqual(before[0]?.nextRunAt);
    } finally {
      await second.shutdown();
    }
  });
});
