// migrateAll as a job: its stored progress is read from another instance, and a run whose runner
// died mid-tenant resumes on the other runner, skipping the tenants already migrated.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../../test/tenancy-fixture";
import type { TestServer } from "../../test/tenancy-fixture";
import type { TestModels, TestTenancy } from "../../test/fixture-module";
import type { TenantMigration } from "../migrations";
import { createTenancy } from "../tenancy";

let server: TestServer;
let base: ReturnType<typeof testConfig>;
const ids: Record<string, string> = {};
const SLUGS = ["mg-1", "mg-2", "mg-3", "mg-4", "mg-5"];

/** While set, the migration of this tenant never finishes: its runner is as good as dead. */
let hangOn: string | null = null;
const attempts = new Map<string, number>();
const extra: TenantMigration<TestModels>[] = [
  {
    version: 6,
    name: "slow-flag",
    async up({ tenant, models }) {
      attempts.set(tenant.slug, (attempts.get(tenant.slug) ?? 0) + 1);
      if (tenant.slug === hangOn) await new Promise(() => undefined);
      await models.Setting.updateOne({ _id: "tenant" }, { $set: { "preferences.v6": true } });
    },
  },
];

async function until(what: string, check: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  server = await startServer();
  base = testConfig(server.uri);
  const v5 = await createTenancy(base);
  try {
    for (const slug of SLUGS) {
      ids[slug] = (await v5.lifecycle.provision({ slug, name: slug, owner: owner(slug) })).id;
    }
  } finally {
    await v5.shutdown();
  }
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe("migrateAll as a job", () => {
  it("shows its progress on every instance and resumes on another runner after a crash", async () => {
    const withExtra = {
      ...base,
      migrations: extra,
      recoverOnStart: false,
      // Short leases so the dead runner's claims lapse within the test.
      migrationLockMs: 500,
      jobs: { pollMs: 100, lockLifetimeMs: 1000 },
    };
    const runner1: TestTenancy = await createTenancy(withExtra);
    const runner2: TestTenancy = await createTenancy(withExtra);
    try {
      hangOn = "mg-3";
      await runner1.jobs.start();
      const { run, alreadyRunning } = await runner1.jobs.migrateAll.start({ concurrency: 1 });
      expect(alreadyRunning).toBe(false);
      expect(run.status).toBe("queued");

      // runner2 runs no jobs yet, but reads runner1's progress from the control database.
      await until("two tenants migrated", async () => {
        const seen = await runner2.jobs.migrateAll.get(run.id);
        return seen?.done === 2;
      });
      const midway = await runner2.jobs.migrateAll.get(run.id);
      expect(midway).toMatchObject({
        status: "running",
        instance: runner1.instanceId,
        total: 5,
        done: 2,
        migrated: 2,
        targetVersion: runner2.lifecycle.latestSchemaVersion,
      });
      expect(midway?.last).toMatchObject({ slug: "mg-2", ok: true, done: 2, total: 5 });
      // A second start while it runs returns the same run.
      const again = await runner2.jobs.migrateAll.start();
      expect(again).toMatchObject({ alreadyRunning: true, run: { id: run.id } });
      expect((await runner2.jobs.migrateAll.latest())?.id).toBe(run.id);

      // runner1 "crashes" inside mg-3: it stops polling and its job never finishes.
      await runner1.jobs.stop(100);
      hangOn = null;
      await runner2.jobs.start();
      await until("the run finished on runner2", async () => {
        const seen = await runner1.jobs.migrateAll.get(run.id);
        return seen?.status === "finished";
      });
      const finished = await runner1.jobs.migrateAll.get(run.id);
      expect(finished).toMatchObject({
        instance: runner2.instanceId,
        total: 5,
        done: 5,
        migrated: 5,
        failed: [],
        resumes: 1,
        error: null,
      });
      expect(finished?.finishedAt).toBeInstanceOf(Date);
      // Only the tenant the crash interrupted ran twice; the first two were skipped on resume.
      expect(Object.fromEntries(attempts)).toEqual({
        "mg-1": 1,
        "mg-2": 1,
        "mg-3": 2,
        "mg-4": 1,
        "mg-5": 1,
      });
      for (const slug of SLUGS) {
        const t = await runner2.tenants.get(ids[slug] as string);
        expect(t.schemaVersion).toBe(runner2.lifecycle.latestSchemaVersion);
      }
      // A finished run frees the slot: the next start queues a new run.
      const next = await runner2.jobs.migrateAll.start();
      expect(next.alreadyRunning).toBe(false);
      expect(next.run.id).not.toBe(run.id);
      await until("the empty run finished", async () => {
        const seen = await runner2.jobs.migrateAll.get(next.run.id);
        return seen?.status === "finished";
      });
      expect(await runner2.jobs.migrateAll.get(next.run.id)).toMatchObject({ total: 0, done: 0 });
    } finally {
      hangOn = null;
      await runner2.shutdown();
      // runner1 still holds the lease of the migration that never finished.
      await runner1.shutdown({ timeoutMs: 200 });
    }
  }, 120_000);
});
