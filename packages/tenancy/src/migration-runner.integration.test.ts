// Point 7: versioned, idempotent migrations with a per-tenant ledger and lock; migrateAll is
// resumable and skips a failing tenant without stopping the rest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { MigrationLocked } from "./errors";
import type { MigrateProgress } from "./migration-runner";
import type { TenantMigration } from "./migrations";
import { FIXTURE_SCHEMA_VERSIONS } from "../test/fixture-module";
import type { TestModels, TestTenancy } from "../test/fixture-module";
import { createTenancy } from "./tenancy";

let server: TestServer;
let base: ReturnType<typeof testConfig>;
let v2: TestTenancy;
const ids: Record<string, string> = {};
let failFor = new Set<string>();
let runs = 0;

const extra: TenantMigration<TestModels>[] = [
  {
    version: 6,
    name: "notes-pinned-flag",
    async up({ models }) {
      runs++;
      // Idempotent by construction: only touches notes that lack the field.
      await models.Note.collection.updateMany(
        { pinned: { $exists: false } },
        { $set: { pinned: false } },
      );
    },
  },
  {
    version: 7,
    name: "flaky-for-some",
    async up({ tenant, models }) {
      if (failFor.has(tenant.slug)) throw new Error(`refusing ${tenant.slug}`);
      await models.Setting.updateOne({ _id: "tenant" }, { $set: { "preferences.v4": true } });
    },
  },
];

beforeAll(async () => {
  server = await startServer();
  base = testConfig(server.uri);
  v2 = await createTenancy(base);
  for (const slug of ["m-one", "m-two", "m-three", "m-bad", "m-five"]) {
    const t = await v2.lifecycle.provision({ slug, name: slug, owner: owner(slug) });
    ids[slug] = t.id;
    await v2.withTenant(t.id, async ({ models }) => {
      const u = await models.User.findOne().lean();
      await models.Note.create({
        title: slug,
        body: "",
        tags: [],
        authorId: u?._id,
        authorName: "o",
      });
    });
  }
});

afterAll(async () => {
  await v2?.shutdown();
  await server?.stop();
});

// schemaVersion sums every ledger: tenancy's (7 with `extra`) and the fixture module's.
describe("migrations", () => {
  it("migrateAll upgrades every tenant, reports and skips a failing one, and resumes later", async () => {
    const v4 = await createTenancy({ ...base, migrations: extra, recoverOnStart: false });
    try {
      expect(v4.lifecycle.latestSchemaVersion).toBe(7 + FIXTURE_SCHEMA_VERSIONS);
      failFor = new Set(["m-bad"]);
      const progress: MigrateProgress[] = [];
      const report = await v4.lifecycle.migrateAll({
        concurrency: 2,
        onProgress: (p) => progress.push(p),
      });
      expect(report).toMatchObject({
        targetVersion: 7 + FIXTURE_SCHEMA_VERSIONS,
        total: 5,
        migrated: 4,
      });
      expect(report.failed).toEqual([
        expect.objectContaining({ slug: "m-bad", error: expect.stringContaining("refusing") }),
      ]);
      expect(progress).toHaveLength(5);
      expect(progress.at(-1)?.done).toBe(5);

      for (const slug of ["m-one", "m-two", "m-three", "m-five"]) {
        const t = await v4.registry.get(ids[slug] ?? "");
        expect(t.schemaVersion).toBe(7 + FIXTURE_SCHEMA_VERSIONS);
        await v4.withTenant(t.id, async ({ models }) => {
          const ledger = await models.Meta.findById("schema").lean();
          expect(ledger?.version).toBe(7);
          expect(ledger?.applied.map((a) => a.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
          expect(ledger?.lock).toBeNull();
          const note = await models.Note.collection.findOne({});
          expect(note?.pinned).toBe(false);
        });
      }
      // The failing tenant kept its progress up to the last good migration.
      const bad = await v4.registry.get(ids["m-bad"] ?? "");
      await v4.withTenant(bad.id, async ({ models }) =>
        expect((await models.Meta.findById("schema").lean())?.version).toBe(6),
      );

      // Resume: only the laggard is attempted; once fixed it catches up.
      failFor = new Set();
      const runsBefore = runs;
      const second = await v4.lifecycle.migrateAll({ concurrency: 2 });
      expect(second).toMatchObject({ total: 1, migrated: 1, failed: [] });
      expect(runs).toBe(runsBefore); // migration 6 was not re-run for it
      const third = await v4.lifecycle.migrateAll();
      expect(third.total).toBe(0);

      // Idempotent per tenant.
      expect(await v4.lifecycle.migrate(ids["m-one"] ?? "")).toMatchObject({
        from: 7 + FIXTURE_SCHEMA_VERSIONS,
        to: 7 + FIXTURE_SCHEMA_VERSIONS,
        applied: [],
      });
    } finally {
      await v4.shutdown();
    }
  });

  it("a tenant whose ledger is locked by another worker is not migrated twice", async () => {
    const v4 = await createTenancy({ ...base, migrations: extra, recoverOnStart: false });
    try {
      const id = ids["m-two"] ?? "";
      await v4.withTenant(id, ({ models }) =>
        models.Meta.updateOne(
          { _id: "schema" },
          { $set: { lock: { owner: "someone-else", until: new Date(Date.now() + 60_000) } } },
        ),
      );
      await expect(v4.lifecycle.migrate(id)).rejects.toBeInstanceOf(MigrationLocked);
      // An expired lock (crashed migrator) is taken over.
      await v4.withTenant(id, ({ models }) =>
        models.Meta.updateOne(
          { _id: "schema" },
          { $set: { "lock.until": new Date(Date.now() - 1) } },
        ),
      );
      await expect(v4.lifecycle.migrate(id)).resolves.toMatchObject({
        to: 7 + FIXTURE_SCHEMA_VERSIONS,
      });
    } finally {
      await v4.shutdown();
    }
  });

  it("new tenants are provisioned at the latest version", async () => {
    const v4 = await createTenancy({ ...base, migrations: extra, recoverOnStart: false });
    try {
      const t = await v4.lifecycle.provision({ slug: "m-new", name: "New", owner: owner("new") });
      expect(t.schemaVersion).toBe(7 + FIXTURE_SCHEMA_VERSIONS);
    } finally {
      await v4.shutdown();
    }
  });
});
