// Point 8: a tenant's database to one portable archive file and back into a new tenant.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { BSON, MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import type { AuditActor } from "./control-models";
import { InvalidInput, SlugTaken } from "./errors";
import { verifyPassword } from "./password-hashing";
import type { TestTenancy } from "../test/fixture-module";
import { createTenancy } from "./tenancy";
import type { ArchiveProgress } from "./tenant-archive";
import { controlModelsOf } from "./testing";

let server: TestServer;
let tenancy: TestTenancy;
let dir: string;

beforeAll(async () => {
  server = await startServer();
  tenancy = await createTenancy(testConfig(server.uri));
  dir = await mkdtemp(join(tmpdir(), "tenancy-archive-"));
});

afterAll(async () => {
  await tenancy?.shutdown();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function dump(dbName: string): Promise<Record<string, { docs: string; indexes: string }>> {
  const client = new MongoClient(server.uri);
  try {
    const db = client.db(dbName);
    const out: Record<string, { docs: string; indexes: string }> = {};
    for (const { name } of await db.listCollections().toArray()) {
      const docs = await db
        .collection(name)
        .find({}, { sort: { _id: 1 } })
        .toArray();
      const indexes = (await db.collection(name).listIndexes().toArray()).map((i) => ({
        key: i.key,
        name: i.name,
        unique: i.unique ?? false,
        ttl: i.expireAfterSeconds ?? null,
      }));
      out[name] = {
        docs: name === "sessions" ? "(omitted)" : BSON.EJSON.stringify(docs, { relaxed: false }),
        indexes: JSON.stringify(indexes.sort((a, b) => a.name.localeCompare(b.name))),
      };
    }
    return out;
  } finally {
    await client.close();
  }
}

describe("export and import", () => {
  it("round-trips a tenant into a new tenant with the same data, types and indexes", async () => {
    const src = await tenancy.lifecycle.provision({
      slug: "exporter",
      name: "Exporter Inc",
      owner: owner("exp"),
    });
    await tenancy.withTenant(src.id, async ({ models }) => {
      const u = await models.User.findOne().lean();
      await models.User.create({
        email: "member@example.com",
        name: "M",
        role: "member",
        passwordHash: await tenancy.passwords.hash("member password"),
      });
      for (let i = 0; i < 1200; i++) {
        await models.Note.collection.insertOne({
          title: `n${i}`,
          body: "é ✓ \u0000 binary-safe",
          tags: ["a", `t${i % 7}`],
          authorId: u?._id,
          authorName: "O",
          createdAt: new Date(1_700_000_000_000 + i),
          updatedAt: new Date(),
          n: i,
          big: BSON.Long.fromString("9007199254740993"),
          dec: BSON.Decimal128.fromString("1.10"),
        });
      }
      await models.Session.create({
        userId: u?._id,
        tokenHash: "secret-ish",
        familyId: "f",
        expiresAt: new Date(Date.now() + 60_000),
      });
    });
    const file = join(dir, "exporter.tenantry.gz");
    const summary = await tenancy.lifecycle.exportTenant(src.id, file);
    expect(summary.counts).toMatchObject({ notes: 1200, users: 2, sessions: 0 });
    expect(summary.bytes).toBeGreaterThan(1000);

    const copy = await tenancy.lifecycle.importTenant(file, { slug: "importer" });
    expect(copy).toMatchObject({
      status: "active",
      name: "Exporter Inc",
      schemaVersion: src.schemaVersion,
    });
    expect(copy.id).not.toBe(src.id);
    expect(copy.dbName).not.toBe(src.dbName);

    const [a, b] = [await dump(src.dbName), await dump(copy.dbName)];
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const name of Object.keys(a)) {
      expect(b[name]?.indexes, `${name} indexes`).toBe(a[name]?.indexes);
      if (name !== "_meta") expect(b[name]?.docs, `${name} docs`).toBe(a[name]?.docs);
    }
    expect(b.sessions?.docs).toBe("(omitted)");

    // Both users can log in to the new tenant; the directory knows them under it.
    const memberships = await tenancy.directory.findByEmail("member@example.com");
    expect(memberships.map((m) => m.tenantSlug).sort()).toEqual(["importer"]);
    expect(
      (await tenancy.directory.findByEmail(owner("exp").email)).map((m) => m.tenantSlug).sort(),
    ).toEqual(["exporter", "importer"]);
    await tenancy.withTenant(copy.id, async ({ models }) => {
      const m = await models.User.findOne({ email: "member@example.com" }).lean();
      expect(await verifyPassword(m?.passwordHash ?? "", "member password")).toBe(true);
      expect(await models.Session.countDocuments()).toBe(0);
    });
  });

  it("refuses a taken slug, a corrupt archive or a truncated one, leaving no trace", async () => {
    const src = await tenancy.registry.getBySlug("exporter");
    const file = join(dir, "again.gz");
    await tenancy.lifecycle.exportTenant(src.id, file);
    await expect(tenancy.lifecycle.importTenant(file, { slug: "exporter" })).rejects.toBeInstanceOf(
      SlugTaken,
    );

    const junk = join(dir, "junk.gz");
    await writeFile(junk, "definitely not gzip");
    await expect(tenancy.lifecycle.importTenant(junk, { slug: "junk" })).rejects.toBeInstanceOf(
      InvalidInput,
    );

    const truncated = join(dir, "truncated.gz");
    const header = {
      kind: "header",
      format: "tenantry-tenant-archive",
      formatVersion: 1,
      exportedAt: new Date().toISOString(),
      tenant: { slug: "x", name: "X", plan: "free", modules: [], limits: {} },
      schemaVersion: 2,
      omittedData: [],
    };
    const lines = [
      header,
      { kind: "collection", name: "notes", indexes: [] },
      { kind: "doc", c: "notes", d: { _id: { $oid: "650000000000000000000001" }, title: "t" } },
    ];
    await writeFile(truncated, gzipSync(lines.map((l) => JSON.stringify(l)).join("\n")));
    const before = await controlModelsOf(tenancy).Tenant.countDocuments();
    await expect(tenancy.lifecycle.importTenant(truncated, { slug: "truncated" })).rejects.toThrow(
      /truncated/,
    );
    expect(await controlModelsOf(tenancy).Tenant.countDocuments()).toBe(before);
    const client = new MongoClient(server.uri);
    try {
      const dbs = (await client.db("admin").admin().listDatabases()).databases.map((d) => d.name);
      const live = (await controlModelsOf(tenancy).Tenant.find().lean()).map((t) => t.dbName);
      expect(dbs.filter((d) => d.startsWith("t_")).sort()).toEqual(live.sort());
    } finally {
      await client.close();
    }
  });
});

describe("archive progress and the cli actor", () => {
  it("reports export and import progress that reaches the totals, and audits the import as the cli", async () => {
    const src = await tenancy.lifecycle.provision({
      slug: "prog-src",
      name: "Progress",
      owner: owner("prog"),
    });
    await tenancy.withTenant(src.id, async ({ models }) => {
      const authorId = (await models.User.findOne().lean())?._id;
      await models.Note.insertMany(
        Array.from({ length: 250 }, (_, i) => ({ title: `n${i}`, authorId, authorName: "o" })),
      );
    });
    const file = join(dir, "progress.tta.gz");
    const out: ArchiveProgress[] = [];
    const summary = await tenancy.lifecycle.exportTenant(src.id, file, {
      onProgress: (p) => out.push(p),
    });
    const docsInArchive = Object.entries(summary.counts)
      .filter(([name]) => name !== "sessions")
      .reduce((n, [, c]) => n + c, 0);
    expect(out[0]).toMatchObject({ phase: "collections", docsDone: 0, docsTotal: docsInArchive });
    expect(
      out.some((p) => p.phase === "documents" && p.collection === "notes" && p.docsDone === 100),
    ).toBe(true);
    expect(out.at(-1)).toMatchObject({ docsDone: docsInArchive, docsTotal: docsInArchive });
    // Called per ~100 docs and per collection, not per document.
    expect(out.length).toBeLessThan(docsInArchive / 5);
    for (let i = 1; i < out.length; i++)
      expect(out[i]?.docsDone).toBeGreaterThanOrEqual(out[i - 1]?.docsDone ?? 0);

    const inn: ArchiveProgress[] = [];
    const cli: AuditActor = { type: "cli", id: "operator", email: null };
    const imported = await tenancy.lifecycle.importTenant(file, { slug: "prog-dst" }, cli, {
      onProgress: (p) => {
        inn.push(p);
        throw new Error("a broken progress bar must not fail the import");
      },
    });
    expect(imported.status).toBe("active");
    expect(inn.map((p) => p.phase)).toEqual(
      expect.arrayContaining(["collections", "documents", "indexes", "migrate"]),
    );
    expect(inn.at(-1)).toMatchObject({
      phase: "migrate",
      docsDone: docsInArchive,
      docsTotal: null,
      bytesDone: summary.bytes,
      bytesTotal: summary.bytes,
    });
    expect(
      await tenancy.withTenant(imported.id, ({ models }) => models.Note.countDocuments()),
    ).toBe(250);

    const { items } = await tenancy.audit.list({ actor: "operator" });
    expect(items).toEqual([
      expect.objectContaining({
        action: "tenant.imported",
        actor: { type: "cli", id: "operator", email: null },
      }),
    ]);
  });
});
