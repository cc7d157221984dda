// Usage metering on the embedded server: many calls become one bulk write at a flush (not one
// write per call), the control database holds counts only, shutdown writes what is left, and the
// month's usage becomes invoice drafts through the file billing adapter.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { MongoClient } from "mongodb";
import { Schema } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TEST_MODULES } from "../test/fixture-module";
import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { fileInvoiceDrafts } from "./billing/file-invoice-drafts";
import { InvalidInput } from "./errors";
import { ensureCollection } from "./collection-setup";
import type { Tenancy } from "./tenancy";
import { createTenancy } from "./tenancy";
import { defineTenantModule } from "./tenant-module";
import { controlModelsOf } from "./testing";
import { utcDay } from "./usage-metering";

// A counted module, so snapshots have documents to count (the fixture module counts nothing).
const memos = defineTenantModule({
  name: "memos",
  schemas: {
    Memo: new Schema(
      { text: { type: String, required: true } },
      { collection: "memos", autoIndex: false, autoCreate: false, bufferCommands: false },
    ),
  },
  countedModel: "Memo",
  migrations: [
    {
      version: 1,
      name: "memos-collection",
      up: ({ models }) => ensureCollection(models.Memo as never),
    },
  ],
});

const COUNT_FIELDS = new Set(["apiCalls", "seats", "storageBytes"]);

let server: TestServer;
let tenancy: Tenancy;
let controlDbName: string;
let client: MongoClient;
let dir: string;
const ids: Record<"a" | "b", string> = { a: "", b: "" };

beforeAll(async () => {
  server = await startServer();
  const config = {
    ...testConfig(server.uri, { usage: { flushSeconds: 0, snapshotSeconds: 3600 } }),
    modules: [...TEST_MODULES, memos],
  };
  controlDbName = config.controlDbName ?? "";
  tenancy = await createTenancy(config);
  client = new MongoClient(server.uri);
  dir = await mkdtemp(path.join(tmpdir(), "tenantry-billing-"));
  for (const slug of ["meter-a", "meter-b"] as const) {
    const t = await tenancy.lifecycle.provision({
      slug,
      name: `Secret Org ${slug}`,
      owner: owner(slug),
    });
    ids[slug === "meter-a" ? "a" : "b"] = t.id;
  }
  await tenancy.withTenant(ids.a, async (scope) => {
    const Memo = (scope.models as unknown as { Memo: { create(d: object): Promise<unknown> } })
      .Memo;
    await Memo.create({ text: "confidential memo text" });
    await Memo.create({ text: "another one" });
  });
});
afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 1000 }).catch(() => undefined);
  await client?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const usageDocs = () =>
  client.db(controlDbName).collection("usageDaily").find({}).sort({ tenantId: 1 }).toArray();

describe("usage metering", () => {
  it("counts N calls in memory and writes them with one bulk at the flush", async () => {
    const { UsageDaily } = controlModelsOf(tenancy);
    const writes: string[] = [];
    const onOp = (op: { collectionName: string; method: string }) => {
      if (op.collectionName === "usageDaily") writes.push(op.method);
    };
    UsageDaily.db.on("operation-start", onOp);
    try {
      for (let i = 0; i < 250; i++) tenancy.usage.recordCall(ids.a);
      for (let i = 0; i < 40; i++) tenancy.usage.recordCall(ids.b);
      // Nothing is written per call.
      expect(await usageDocs()).toEqual([]);
      expect(writes).toEqual([]);

      const report = await tenancy.usage.flush();
      expect(report).toEqual({ tenants: 2, calls: 290, snapshots: 2 });
      // 290 calls and two snapshots: one write command.
      expect(writes).toEqual(["bulkWrite"]);
    } finally {
      UsageDaily.db.off("operation-start", onOp);
    }
    const docs = await usageDocs();
    const today = utcDay(new Date());
    const a = docs.find((d) => String(d.tenantId) === ids.a);
    const b = docs.find((d) => String(d.tenantId) === ids.b);
    expect(a).toMatchObject({ day: today, apiCalls: 250, seats: 1, documents: { memos: 2 } });
    expect(b).toMatchObject({ day: today, apiCalls: 40, seats: 1, documents: { memos: 0 } });
    expect(a?.storageBytes).toBeGreaterThan(0);
  });

  it("adds later calls with $inc and measures again only after the snapshot interval", async () => {
    for (let i = 0; i < 10; i++) tenancy.usage.recordCall(ids.a);
    expect(await tenancy.usage.flush()).toEqual({ tenants: 1, calls: 10, snapshots: 0 });
    // An empty flush writes nothing at all.
    expect(await tenancy.usage.flush()).toEqual({ tenants: 0, calls: 0, snapshots: 0 });
    const a = (await usageDocs()).find((d) => String(d.tenantId) === ids.a);
    expect(a?.apiCalls).toBe(260);
    expect(await usageDocs()).toHaveLength(2);
  });

  it("stores counts only: no names, emails or content in any usage document", async () => {
    const docs = await usageDocs();
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      for (const [key, value] of Object.entries(doc)) {
        if (key === "_id" || key === "tenantId") continue;
        if (key === "day") expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        else if (key === "documents") {
          expect(Object.keys(value as object)).toEqual(["memos"]);
          for (const n of Object.values(value as object)) expect(typeof n).toBe("number");
        } else {
          expect(COUNT_FIELDS.has(key), `unexpected field ${key}`).toBe(true);
          expect(typeof value).toBe("number");
        }
      }
      const text = JSON.stringify(doc);
      for (const secret of ["Secret Org", "meter-", "@example.com", "confidential", "Owner"])
        expect(text).not.toContain(secret);
    }
  });

  it("reads the last 30 days, today last, and writes them as CSV with a header", async () => {
    const rows = await tenancy.usage.daily(ids.a, 30);
    expect(rows).toHaveLength(30);
    expect(rows.at(-1)).toMatchObject({ day: utcDay(new Date()), apiCalls: 260, seats: 1 });
    expect(rows[0]).toMatchObject({ apiCalls: 0, seats: null, storageBytes: null });
    const lines = tenancy.usage.csv(rows).trimEnd().split("\n");
    expect(lines[0]).toBe("day,apiCalls,seats,storageBytes,documents.memos");
    expect(lines).toHaveLength(31);
    expect(lines.at(-1)).toMatch(new RegExp(`^${utcDay(new Date())},260,1,\\d+,2$`));
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2},0,,,$/);
    await expect(tenancy.usage.daily(ids.a, 0)).rejects.toBeInstanceOf(InvalidInput);
    await expect(tenancy.usage.daily(ids.a, 1000)).rejects.toBeInstanceOf(InvalidInput);
  });

  it("drafts the month's invoices from usageDaily through the file adapter", async () => {
    const month = utcDay(new Date()).slice(0, 7);
    const port = fileInvoiceDrafts(dir);
    const report = await tenancy.billing.draftMonth(month, port);
    expect(report.drafts.map((d) => d.tenantId).sort()).toEqual([ids.a, ids.b].sort());
    expect(report.skipped).toEqual([]);
    const lines = (await readFile(port.fileFor(month), "utf8")).trimEnd().split("\n");
    const drafts = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const a = drafts.find((d) => d.tenantId === ids.a);
    expect(a).toMatchObject({
      kind: "invoice-draft",
      tenantSlug: "meter-a",
      plan: "free",
      period: { month, firstDay: `${month}-01` },
      usage: { apiCalls: 260, peakSeats: 1, peakDocuments: { memos: 2 }, daysMetered: 1 },
    });
    await expect(tenancy.billing.draftMonth("2026-13", port)).rejects.toBeInstanceOf(InvalidInput);
  });

  it("writes the calls still counted at shutdown", async () => {
    for (let i = 0; i < 5; i++) tenancy.usage.recordCall(ids.b);
    await tenancy.shutdown({ timeoutMs: 1000 });
    const b = (await usageDocs()).find((d) => String(d.tenantId) === ids.b);
    expect(b?.apiCalls).toBe(45);
  });
});

describe("usage snapshots at a flush", () => {
  it("measures at a flush only tenants whose handle is in the pool; a sweep leaves the pool as it was", async () => {
    // Another instance on the same control database, with room for one handle.
    const small = await createTenancy({
      ...testConfig(server.uri, {
        controlDbName,
        usage: { flushSeconds: 0, snapshotSeconds: 3600 },
        cache: { maxHandles: 1 },
      }),
      modules: [...TEST_MODULES, memos],
    });
    try {
      await small.withTenant(ids.a, async () => undefined);
      await small.withTenant(ids.b, async () => undefined); // evicts a's handle
      const before = small.stats();
      expect(before.handles).toBe(1);
      small.usage.recordCall(ids.a);
      small.usage.recordCall(ids.b);
      // b is measured on its open handle; a waits for tenancy.usageSnapshots (no handle opened).
      expect(await small.usage.flush()).toEqual({ tenants: 2, calls: 2, snapshots: 1 });
      const after = small.stats();
      expect(after.misses).toBe(before.misses);
      expect(after.evictions).toBe(before.evictions);

      // usageSnapshots measures every tenant: one outside the pool gets a handle of its own,
      // dropped afterwards, and the handle in use stays (no eviction, b is still a hit).
      expect(await small.usage.snapshot(ids.a)).toMatchObject({
        seats: 1,
        documents: { memos: 2 },
      });
      const swept = small.stats();
      expect(swept.misses).toBe(after.misses + 1);
      expect(swept.evictions).toBe(after.evictions);
      expect(swept.handles).toBe(1);
      expect(swept.draining).toBe(0);
      await small.withTenant(ids.b, async () => undefined);
      expect(small.stats().hits).toBe(swept.hits + 1);

      // A request while a sweep holds the tenant's uncached handle takes it into the pool.
      const [measured, users] = await Promise.all([
        small.usage.snapshot(ids.a),
        small.withTenant(ids.a, ({ models }) => models.User.countDocuments()),
      ]);
      expect(measured?.seats).toBe(1);
      expect(users).toBe(1);
      expect(small.stats()).toMatchObject({ handles: 1, draining: 0, leases: 0 });
    } finally {
      await small.shutdown({ timeoutMs: 1000 });
    }
  });
});
