import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { TenantDeleted, TenantSuspended } from "./errors";
import { FIXTURE_SCHEMA_VERSIONS } from "../test/fixture-module";
import type { TestTenancy } from "../test/fixture-module";
import { createTenancy } from "./tenancy";
import { controlModelsOf } from "./testing";

let server: TestServer;
let tenancy: TestTenancy;

beforeAll(async () => {
  server = await startServer();
  tenancy = await createTenancy(testConfig(server.uri));
});

afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 1000 });
  await server?.stop();
});

describe("admin reads of a non-active tenant (withTenant allowInactive)", () => {
  it("reads a suspended, then deleted tenant's data under a lease and scope; never a purged one", async () => {
    const t = await tenancy.lifecycle.provision({
      slug: "frozen",
      name: "Frozen",
      owner: owner("frozen"),
    });
    await tenancy.withTenant(t.id, ({ models }) =>
      models.Note.create({ title: "kept", authorId: t.id, authorName: "Owner" }).then(
        () => undefined,
      ),
    );
    const countNotes = (): Promise<{
      users: number;
      notes: number;
      slug: string;
      leases: number;
    }> =>
      tenancy.withTenant(
        t.id,
        async ({ models }) => ({
          users: await models.User.countDocuments(),
          notes: await models.Note.countDocuments(),
          slug: tenancy.currentTenant().tenant.slug,
          leases: tenancy.stats().leases,
        }),
        { allowInactive: true },
      );

    await tenancy.lifecycle.suspend(t.id, "unpaid invoice");
    // Default stays fail-closed.
    await expect(tenancy.withTenant(t.id, async () => "in")).rejects.toBeInstanceOf(
      TenantSuspended,
    );
    expect(await countNotes()).toEqual({ users: 1, notes: 1, slug: "frozen", leases: 1 });
    expect(tenancy.stats().leases).toBe(0);

    await tenancy.lifecycle.softDelete(t.id);
    await expect(tenancy.withTenant(t.id, async () => "in")).rejects.toBeInstanceOf(TenantDeleted);
    expect(await countNotes()).toEqual({ users: 1, notes: 1, slug: "frozen", leases: 1 });

    await tenancy.lifecycle.purge(t.id);
    await expect(countNotes()).rejects.toBeInstanceOf(TenantDeleted);
    expect(tenancy.stats().leases).toBe(0);
  });
});

describe("per-tenant lease counts", () => {
  it("stats().leasesByTenant and registry.isLeased follow leases in and out, nested ones included", async () => {
    const a = await tenancy.lifecycle.provision({
      slug: "leased-a",
      name: "A",
      owner: owner("la"),
    });
    const b = await tenancy.lifecycle.provision({
      slug: "leased-b",
      name: "B",
      owner: owner("lb"),
    });
    expect(tenancy.stats().leasesByTenant).toEqual({});
    expect(tenancy.registry.isLeased(a.id)).toBe(false);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const holdA = (): Promise<void> =>
      tenancy.withTenant(a.id, async () => {
        entered();
        await gate;
      });
    const first = holdA();
    await inside;
    const second = tenancy.withTenant(a.id, async () => {
      // Nested different tenant: both leased at once.
      await tenancy.withTenant(b.id, async () => {
        expect(tenancy.stats().leasesByTenant).toEqual({ [a.id]: 2, [b.id]: 1 });
        expect(tenancy.registry.isLeased(b.id)).toBe(true);
      });
      expect(tenancy.stats().leasesByTenant).toEqual({ [a.id]: 2 });
      expect(tenancy.registry.isLeased(b.id)).toBe(false);
    });
    await second;
    expect(tenancy.stats().leasesByTenant).toEqual({ [a.id]: 1 });
    expect(tenancy.registry.isLeased(a.id)).toBe(true);
    release();
    await first;
    expect(tenancy.stats().leasesByTenant).toEqual({});
    expect(tenancy.registry.isLeased(a.id)).toBe(false);
    expect(tenancy.stats().leases).toBe(0);
  });
});

describe("invites collection (tenant migration 3)", () => {
  it("new tenants have it; an existing tenant at version 2 gets it from migrateAll, with unique and TTL indexes", async () => {
    const fresh = await tenancy.lifecycle.provision({
      slug: "inv-new",
      name: "New",
      owner: owner("invnew"),
    });
    expect(fresh.schemaVersion).toBe(tenancy.lifecycle.latestSchemaVersion);
    expect(tenancy.lifecycle.latestSchemaVersion).toBe(5 + FIXTURE_SCHEMA_VERSIONS);

    // An "old" tenant: as provisioned before migration 3 existed.
    const old = await tenancy.lifecycle.provision({
      slug: "inv-old",
      name: "Old",
      owner: owner("invold"),
    });
    await tenancy.withTenant(old.id, async ({ conn, models }) => {
      await conn.dropCollection("invites");
      await models.Meta.updateOne(
        { _id: "schema" },
        { $set: { version: 2 }, $pull: { applied: { version: 3 } } },
      );
    });
    await controlModelsOf(tenancy).Tenant.updateOne(
      { _id: old.id },
      { $set: { schemaVersion: 2 + FIXTURE_SCHEMA_VERSIONS } },
    );

    const report = await tenancy.lifecycle.migrateAll();
    expect(report).toMatchObject({
      targetVersion: 5 + FIXTURE_SCHEMA_VERSIONS,
      total: 1,
      migrated: 1,
      failed: [],
    });
    expect((await tenancy.registry.get(old.id)).schemaVersion).toBe(5 + FIXTURE_SCHEMA_VERSIONS);

    for (const id of [fresh.id, old.id]) {
      await tenancy.withTenant(id, async ({ conn, models }) => {
        const indexes = await conn.collection("invites").listIndexes().toArray();
        expect(indexes).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ key: { tokenHash: 1 }, unique: true }),
            // Migration 5: kept a day past expiry, to tell "expired" from "invalid".
            expect.objectContaining({ key: { purgeAt: 1 }, expireAfterSeconds: 0 }),
          ]),
        );
        expect(indexes.some((i) => i.name === "expiresAt_1")).toBe(false);
        // Migration 4: password-reset links, unique by hash and dropped by the server later.
        const resets = await conn.collection("passwordResets").listIndexes().toArray();
        expect(resets).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ key: { tokenHash: 1 }, unique: true }),
            expect.objectContaining({ key: { purgeAt: 1 }, expireAfterSeconds: 0 }),
          ]),
        );
        const userId = (await models.User.findOne().lean())?._id;
        const invite = {
          tokenHash: "h1",
          userId,
          expiresAt: new Date(Date.now() + 60_000),
          purgeAt: new Date(Date.now() + 120_000),
        };
        const created = await models.Invite.create(invite);
        expect(created.usedAt).toBeNull();
        expect(created.createdAt).toBeInstanceOf(Date);
        // The same token hash twice would let one link open two accounts.
        await expect(models.Invite.create(invite)).rejects.toMatchObject({ code: 11000 });
      });
    }
  });
});
