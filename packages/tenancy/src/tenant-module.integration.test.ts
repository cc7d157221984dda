// Tenant modules: their models appear in scope.models, their migrations run on a ledger of their
// own (provision, then migrateAll for tenants that predate the module), and a clash is refused.
import { Schema } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { ensureCollection } from "./collection-setup";
import { BUILT_IN_MIGRATIONS } from "./migrations";
import { createTenancy } from "./tenancy";
import { defineTenantModule } from "./tenant-module";

interface BookmarkDoc {
  _id: string;
  url: string;
  starred?: boolean;
}

const bookmarkSchema = new Schema<BookmarkDoc>(
  { _id: String, url: { type: String, required: true }, starred: Boolean },
  { collection: "bookmarks", autoIndex: false, autoCreate: false, bufferCommands: false },
);
bookmarkSchema.index({ url: 1 }, { unique: true });

const bookmarks = defineTenantModule({
  name: "bookmarks",
  schemas: { Bookmark: bookmarkSchema },
  migrations: [
    {
      version: 1,
      name: "bookmarks-collection",
      up: ({ models }) => ensureCollection(models.Bookmark as never),
    },
    {
      version: 2,
      name: "starred-flag",
      async up({ models }) {
        await models.Bookmark.updateMany({ starred: { $exists: false } }, { starred: false });
      },
    },
  ],
  async adminStats({ Bookmark }) {
    return { counts: { bookmarks: await Bookmark.countDocuments() }, lastActivityAt: null };
  },
});

const CORE = BUILT_IN_MIGRATIONS.at(-1)?.version ?? 0;
let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.stop());

describe("tenant modules", () => {
  it("provisions a module's collection and indexes, typed models included", async () => {
    const tenancy = await createTenancy({
      ...testConfig(server.uri),
      modules: [bookmarks],
    });
    try {
      expect(tenancy.lifecycle.latestSchemaVersion).toBe(CORE + 2);
      const t = await tenancy.lifecycle.provision({ slug: "bmk", name: "Bm", owner: owner("bm") });
      expect(t.schemaVersion).toBe(CORE + 2);
      const { indexes, stats } = await tenancy.withTenant(t.id, async (scope) => {
        await scope.models.Bookmark.create({ _id: "a", url: "https://a.example" });
        const dup = await scope.models.Bookmark.create({ _id: "b", url: "https://a.example" }).then(
          () => null,
          (err: { code?: number }) => err.code,
        );
        expect(dup).toBe(11000); // the module's unique index is there
        return {
          indexes: await scope.models.Bookmark.collection.indexes(),
          stats: await tenancy.moduleStats(scope),
        };
      });
      expect(indexes.map((i) => i.name)).toContain("url_1");
      expect(stats).toEqual({ counts: { bookmarks: 1 }, lastActivityAt: null });
    } finally {
      await tenancy.shutdown({ timeoutMs: 1000 });
    }
  });

  it("brings a tenant that predates the module up to date with migrateAll, on its own ledger", async () => {
    const config = testConfig(server.uri);
    const before = await createTenancy({ ...config, modules: [] });
    const t = await before.lifecycle.provision({ slug: "old", name: "Old", owner: owner("old") });
    expect(t.schemaVersion).toBe(CORE);
    await before.shutdown({ timeoutMs: 1000 });

    const after = await createTenancy({ ...config, modules: [bookmarks], recoverOnStart: false });
    try {
      const report = await after.lifecycle.migrateAll();
      expect(report).toMatchObject({ targetVersion: CORE + 2, migrated: 1, failed: [] });
      expect((await after.registry.get(t.id)).schemaVersion).toBe(CORE + 2);
      // Run again: nothing is behind, nothing is applied twice.
      expect(await after.lifecycle.migrate(t.id)).toEqual({
        from: CORE + 2,
        to: CORE + 2,
        applied: [],
      });
      const ledgers = await after.withTenant(t.id, ({ models }) =>
        models.Meta.find({}).sort({ _id: 1 }).lean(),
      );
      expect(ledgers.map((l) => [l._id, l.version, l.applied.map((a) => a.name)])).toEqual([
        ["module:bookmarks", 2, ["bookmarks-collection", "starred-flag"]],
        ["schema", CORE, BUILT_IN_MIGRATIONS.map((m) => m.name)],
      ]);
    } finally {
      await after.shutdown({ timeoutMs: 1000 });
    }
  });

  it("refuses a module registered twice and a model name that is already taken", async () => {
    const config = testConfig(server.uri);
    await expect(createTenancy({ ...config, modules: [bookmarks, bookmarks] })).rejects.toThrow(
      'Tenant module "bookmarks" is registered twice',
    );
    const shadow = defineTenantModule({
      name: "shadow",
      schemas: { User: bookmarkSchema },
      migrations: [],
    });
    await expect(createTenancy({ ...config, modules: [shadow] })).rejects.toThrow(
      'Model "User" of module "shadow" is already defined by tenancy',
    );
  });
});
