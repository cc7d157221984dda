import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { listDatabaseNames, owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import {
  InvalidInput,
  WeakPassword,
  NoTenantContext,
  SlugTaken,
  TenantDeleted,
  TenantNotFound,
  TenantSuspended,
} from "./errors";
import { verifyPassword } from "./password-hashing";
import type { TestTenancy } from "../test/fixture-module";
import { createTenancy } from "./tenancy";

let server: TestServer;
let tenancy: TestTenancy;
let controlDbName: string;

beforeAll(async () => {
  server = await startServer();
  const config = testConfig(server.uri);
  controlDbName = config.controlDbName ?? "";
  tenancy = await createTenancy(config);
});

afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 1000 });
  await server?.stop();
});

describe("provisioning and tenant scope", () => {
  it("provisions a working tenant whose owner can log in, with indexes built up front", async () => {
    const tenant = await tenancy.lifecycle.provision({
      slug: "acme",
      name: "Acme",
      owner: owner("acme"),
    });
    expect(tenant.status).toBe("active");
    expect(tenant.schemaVersion).toBe(tenancy.lifecycle.latestSchemaVersion);

    const memberships = await tenancy.directory.findByEmail("OWNERacme@example.com");
    expect(memberships).toEqual([
      expect.objectContaining({
        tenantId: tenant.id,
        tenantSlug: "acme",
        role: "owner",
        tenantStatus: "active",
      }),
    ]);

    await tenancy.withTenant(tenant.id, async ({ models, tenant: scoped }) => {
      expect(scoped.slug).toBe("acme");
      const user = await models.User.findOne({ email: "owneracme@example.com" }).lean();
      expect(user?.role).toBe("owner");
      expect(await verifyPassword(user?.passwordHash ?? "", "correct horse battery")).toBe(true);
      expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
      // Unique email index exists from provisioning, not from first use.
      await expect(
        models.User.create({ email: "owneracme@example.com", name: "Dup", role: "member" }),
      ).rejects.toMatchObject({ code: 11000 });
      const settings = await models.Setting.findById("tenant").lean();
      expect(settings?.displayName).toBe("Acme");
    });
  });

  it("is idempotent by slug and refuses a slug owned by someone else", async () => {
    const first = await tenancy.registry.getBySlug("acme");
    const again = await tenancy.lifecycle.provision({
      slug: "acme",
      name: "Acme",
      owner: owner("acme"),
    });
    expect(again.id).toBe(first.id);
    await expect(
      tenancy.lifecycle.provision({ slug: "acme", name: "Other", owner: owner("intruder") }),
    ).rejects.toBeInstanceOf(SlugTaken);
  });

  it("rejects bad input with a typed error and writes nothing", async () => {
    await expect(
      tenancy.lifecycle.provision({ slug: "Bad Slug!", name: "x", owner: owner("x") }),
    ).rejects.toBeInstanceOf(InvalidInput);
    await expect(
      tenancy.lifecycle.provision({
        slug: "okslug",
        name: "x",
        owner: { ...owner("x"), email: "nope" },
      }),
    ).rejects.toBeInstanceOf(InvalidInput);
    await expect(
      tenancy.lifecycle.provision({
        slug: "okslug",
        name: "x",
        owner: { ...owner("x"), password: "Short-9ch" },
      }),
    ).rejects.toBeInstanceOf(WeakPassword);
    await expect(tenancy.registry.getBySlug("okslug")).rejects.toBeInstanceOf(TenantNotFound);
  });

  it("fails closed: no tenant outside withTenant, unknown tenants are typed errors", async () => {
    expect(() => tenancy.currentTenant()).toThrow(NoTenantContext);
    const acme = await tenancy.registry.getBySlug("acme");
    const inside = await tenancy.withTenant(
      acme.id,
      async () => tenancy.currentTenant().tenant.slug,
    );
    expect(inside).toBe("acme");
    // The scope follows async continuations (timers, awaits) inside the callback.
    const later = await tenancy.withTenant(
      acme.id,
      () =>
        new Promise<string>((resolve) =>
          setTimeout(() => resolve(tenancy.currentTenant().tenant.id), 5),
        ),
    );
    expect(later).toBe(acme.id);
    await expect(
      tenancy.withTenant("000000000000000000000000", async () => 1),
    ).rejects.toBeInstanceOf(TenantNotFound);
    await expect(tenancy.withTenant("not-an-id", async () => 1)).rejects.toBeInstanceOf(
      TenantNotFound,
    );
  });

  it("builds indexes at provisioning only: a fresh instance's first use creates none", async () => {
    const acme = await tenancy.registry.getBySlug("acme");
    const client = new MongoClient(server.uri);
    try {
      const notes = client.db(acme.dbName).collection("notes");
      expect((await notes.listIndexes().toArray()).map((i) => i.name)).toContain("tags_1");
      await notes.dropIndex("tags_1");
      const fresh = await createTenancy({
        ...testConfig(server.uri),
        controlDbName,
        recoverOnStart: false,
      });
      try {
        await fresh.withTenant(acme.id, async ({ models }) => {
          await models.Note.create({
            title: "t",
            body: "",
            tags: ["a"],
            authorId: acme.id,
            authorName: "x",
          });
          await models.Note.find({ tags: "a" }).lean();
        });
        await new Promise((r) => setTimeout(r, 50));
        expect((await notes.listIndexes().toArray()).map((i) => i.name)).not.toContain("tags_1");
      } finally {
        await fresh.shutdown();
      }
      // migrate() is where indexes are (re)built.
      await notes.createIndex({ tags: 1 });
      const loginIdx = await client
        .db(controlDbName)
        .collection("loginAttempts")
        .listIndexes()
        .toArray();
      expect(loginIdx.find((i) => i.key.createdAt === 1)?.expireAfterSeconds).toBe(3600);
    } finally {
      await client.close();
    }
  });

  it("keeps every password hash out of the control database", async () => {
    const client = new MongoClient(server.uri);
    try {
      const db = client.db(controlDbName);
      for (const { name } of await db.listCollections().toArray()) {
        if (name === "admins") continue; // super admins are a control-plane identity by design
        const docs = await db.collection(name).find({}).toArray();
        expect(JSON.stringify(docs)).not.toContain("$argon2");
      }
    } finally {
      await client.close();
    }
  });
});

describe("lifecycle", () => {
  it("suspend blocks with the reason and revokes sessions; resume restores access and data", async () => {
    const t = await tenancy.lifecycle.provision({
      slug: "globex",
      name: "Globex",
      owner: owner("globex"),
    });
    await tenancy.withTenant(t.id, async ({ models }) => {
      const user = await models.User.findOne().lean();
      await models.Session.create({
        userId: user?._id,
        tokenHash: "h1",
        familyId: "f1",
        expiresAt: new Date(Date.now() + 60_000),
      });
      await models.Note.create({
        title: "keep me",
        body: "b",
        tags: ["x"],
        authorId: user?._id,
        authorName: "Owner",
      });
    });
    const res = await tenancy.lifecycle.suspend(t.id, "unpaid invoice", {
      type: "admin",
      id: "a1",
      email: "root@example.com",
    });
    expect(res.sessionsRevoked).toBe(1);
    const err = await tenancy.withTenant(t.id, async () => 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TenantSuspended);
    expect((err as TenantSuspended).reason).toBe("unpaid invoice");
    expect((err as TenantSuspended).code).toBe("TENANT_SUSPENDED");

    await tenancy.lifecycle.resume(t.id);
    const notes = await tenancy.withTenant(t.id, ({ models }) => models.Note.find().lean());
    expect(notes.map((n) => n.title)).toEqual(["keep me"]);
    const sessions = await tenancy.withTenant(t.id, ({ models }) => models.Session.find().lean());
    expect(sessions[0]?.revokedReason).toBe("tenant_suspended");

    const audit = await tenancy.audit.list({ tenantId: t.id });
    expect(audit.items.map((a) => a.action)).toEqual(
      expect.arrayContaining(["tenant.suspended", "tenant.resumed", "tenant.provisioned"]),
    );
    await expect(tenancy.lifecycle.suspend(t.id, "  ")).rejects.toBeInstanceOf(InvalidInput);
  });

  it("soft delete is restorable (to the prior status); purge drops the database and leaves a receipt", async () => {
    const t = await tenancy.lifecycle.provision({
      slug: "initech",
      name: "Initech",
      owner: owner("initech"),
    });
    await tenancy.lifecycle.suspend(t.id, "audit pending");
    await tenancy.lifecycle.softDelete(t.id);
    await expect(tenancy.withTenant(t.id, async () => 1)).rejects.toBeInstanceOf(TenantDeleted);
    const restored = await tenancy.lifecycle.restore(t.id);
    expect(restored.status).toBe("suspended");
    expect(restored.statusReason).toBe("audit pending");
    await tenancy.lifecycle.resume(t.id);
    await expect(tenancy.lifecycle.purge(t.id)).rejects.toBeInstanceOf(InvalidInput);

    await tenancy.lifecycle.softDelete(t.id);
    expect(await listDatabaseNames(server.uri)).toContain(t.dbName);
    const receipt = await tenancy.lifecycle.purge(t.id, { type: "admin", id: "a1" });
    expect(receipt).toMatchObject({
      slug: "initech",
      dbName: t.dbName,
      directoryEntriesRemoved: 1,
    });
    expect(await listDatabaseNames(server.uri)).not.toContain(t.dbName);
    expect(await tenancy.directory.findByEmail("ownerinitech@example.com")).toEqual([]);
    const audit = await tenancy.audit.list({ action: "tenant.purged" });
    expect(audit.items[0]).toMatchObject({
      tenantId: t.id,
      tenantSlug: "initech",
      details: expect.objectContaining({ dbName: t.dbName }),
    });
    await expect(tenancy.withTenant(t.id, async () => 1)).rejects.toBeInstanceOf(TenantDeleted);
    // The slug is free again.
    const reborn = await tenancy.lifecycle.provision({
      slug: "initech",
      name: "Initech 2",
      owner: owner("initech2"),
    });
    expect(reborn.id).not.toBe(t.id);
  });

  it("restore after the grace period is refused", async () => {
    const short = await createTenancy({ ...testConfig(server.uri), deleteGraceMs: 0 });
    try {
      const t = await short.lifecycle.provision({
        slug: "shortlived",
        name: "S",
        owner: owner("s"),
      });
      await short.lifecycle.softDelete(t.id);
      await new Promise((r) => setTimeout(r, 5));
      await expect(short.lifecycle.restore(t.id)).rejects.toThrow(/grace period/);
      const swept = await short.lifecycle.purgeExpired();
      expect(swept.purged.map((r) => r.slug)).toEqual(["shortlived"]);
      expect(await listDatabaseNames(server.uri)).not.toContain(t.dbName);
    } finally {
      await short.shutdown();
    }
  });
});

describe("admins and audit", () => {
  it("creates super admins with argon2id and authenticates them", async () => {
    await tenancy.admins.create({
      email: "Root@Example.com",
      name: "Root",
      password: "a-long-admin-password",
    });
    expect(
      await tenancy.admins.authenticate("root@example.com", "a-long-admin-password"),
    ).toMatchObject({ email: "root@example.com" });
    expect(await tenancy.admins.authenticate("root@example.com", "wrong-password!")).toBeNull();
    expect(await tenancy.admins.authenticate("nobody@example.com", "whatever-password")).toBeNull();
    // The same password policy as the api's: 10 characters were once enough here, no longer.
    await expect(
      tenancy.admins.create({ email: "short@example.com", name: "S", password: "Ten-chars!" }),
    ).rejects.toBeInstanceOf(WeakPassword);
    await expect(
      tenancy.admins.create({
        email: "root@example.com",
        name: "Again",
        password: "a-long-admin-password",
      }),
    ).rejects.toBeInstanceOf(InvalidInput);
  });

  it("pages the audit log newest first", async () => {
    for (let i = 0; i < 5; i++)
      await tenancy.audit.record({
        actor: { type: "system" },
        action: "test.page",
        details: { i },
      });
    const first = await tenancy.audit.list({ action: "test.page", limit: 3 });
    expect(first.items.map((e) => e.details.i)).toEqual([4, 3, 2]);
    const second = await tenancy.audit.list({
      action: "test.page",
      limit: 3,
      cursor: first.nextCursor ?? "",
    });
    expect(second.items.map((e) => e.details.i)).toEqual([1, 0]);
    expect(second.nextCursor).toBeNull();
  });
});
