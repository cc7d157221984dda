// Point 9: 1,000 tenants through an LRU of 50 under concurrent random access.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { MongoClient, ObjectId } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import type { TestTenancy } from "../test/fixture-module";
import { createTenancy } from "./tenancy";
import { controlModelsOf } from "./testing";

// global.gc for the test that checks a dropped handle can be collected.
setFlagsFromString("--expose-gc");

const TENANTS = 1000;
const LRU = 50;
const POOL = 10;
const REQUESTS = 3000;
const CONCURRENCY = 64;

let server: TestServer;
let tenancy: TestTenancy;
const ids: string[] = [];

beforeAll(async () => {
  server = await startServer();
  const config = testConfig(server.uri, {
    cache: { maxHandles: LRU, idleTtlMs: 60_000 },
    maxPoolSize: POOL,
    // Room for the flood test's 40 calls behind its 4 slots.
    admission: { queueFactor: 10 },
  });
  tenancy = await createTenancy(config);
  // Seed directly (the saga has its own tests): 1,000 active tenant records, each with one note
  // in its own database whose title names the tenant.
  const docs = Array.from({ length: TENANTS }, (_, i) => {
    const _id = new ObjectId();
    ids.push(_id.toHexString());
    return {
      _id,
      slug: `load-${i}`,
      name: `Load ${i}`,
      status: "active",
      dbName: `t_${_id.toHexString()}`,
      cluster: "default",
      schemaVersion: 2,
      // The plan's in-flight bound, overridden as an operator would (the flood test counts on 4).
      limits: { inFlight: 4 },
    };
  });
  await controlModelsOf(tenancy).Tenant.insertMany(docs);
  const seed = new MongoClient(server.uri, { maxPoolSize: 8 });
  try {
    for (let i = 0; i < docs.length; i += 25) {
      await Promise.all(
        docs.slice(i, i + 25).map((d) =>
          seed.db(d.dbName).collection("notes").insertOne({
            title: d._id.toHexString(),
            body: d.slug,
            tags: [],
            authorId: new ObjectId(),
            authorName: "seed",
          }),
        ),
      );
    }
  } finally {
    await seed.close();
  }
}, 120_000);

afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 1000 });
  await server?.stop();
});

describe("leased handles over one client", () => {
  it("serves every tenant its own data under churn, with flat sockets and no eviction under a lease", async () => {
    // The server's own count of open connections, read through a separate probe client.
    const probe = new MongoClient(server.uri, { maxPoolSize: 1 });
    const serverConnections = async (): Promise<number> => {
      const status = await probe.db("admin").command({ serverStatus: 1 });
      return Number(status.connections?.current ?? Number.NaN);
    };
    const serverSamples: number[] = [await serverConnections()];
    const socketSamples: number[] = [];
    const maxHandlesSeen = { lru: 0, draining: 0 };
    let wrong = 0;
    let next = 0;
    const started = Date.now();
    const worker = async (): Promise<void> => {
      while (next < REQUESTS) {
        const n = next++;
        const id = ids[Math.floor(Math.random() * ids.length)] ?? "";
        await tenancy.withTenant(id, async ({ models, tenant }) => {
          // Hold the lease across a yield so other workers evict around us.
          if (n % 3 === 0) await new Promise((r) => setTimeout(r, Math.random() * 4));
          const note = await models.Note.findOne().lean();
          if (note?.title !== tenant.id || tenancy.currentTenant().tenant.id !== id) wrong++;
        });
        if (n % 50 === 0) {
          serverSamples.push(await serverConnections());
          const s = tenancy.stats();
          socketSamples.push(s.sockets);
          maxHandlesSeen.lru = Math.max(maxHandlesSeen.lru, s.handles);
          maxHandlesSeen.draining = Math.max(maxHandlesSeen.draining, s.draining);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsed = Date.now() - started;
    const stats = tenancy.stats();
    console.info(
      `[pool] ${REQUESTS} leased reads over ${TENANTS} tenants, LRU ${LRU}, concurrency ${CONCURRENCY}: ${elapsed} ms; ` +
        `hits ${stats.hits}, misses ${stats.misses}, evictions ${stats.evictions}, deferred ${stats.deferredEvictions}, ` +
        `sockets max ${Math.max(...socketSamples)} (samples ${socketSamples.length}), open clients ${stats.openClients}, max draining ${maxHandlesSeen.draining}; ` +
        `server-side connections: before ${serverSamples[0]}, min ${Math.min(...serverSamples)}, max ${Math.max(...serverSamples)}`,
    );
    await probe.close();

    expect(wrong).toBe(0);
    expect(stats.evictedWhileLeased).toBe(0);
    expect(stats.evictions).toBeGreaterThan(REQUESTS / 2); // the LRU really churned
    expect(stats.deferredEvictions).toBeGreaterThan(0); // and did hit leased handles, which waited
    expect(stats.leases).toBe(0);
    expect(maxHandlesSeen.lru).toBeLessThanOrEqual(LRU);
    expect(maxHandlesSeen.draining).toBeLessThanOrEqual(CONCURRENCY);
    // One client for all 1,000 tenants; its pool never grows past maxPoolSize.
    expect(stats.openClients).toBe(1);
    expect(Math.max(...socketSamples)).toBeLessThanOrEqual(POOL);
    // Server side: the pool plus a few monitoring sockets, however many tenants were touched.
    expect(Math.max(...serverSamples)).toBeLessThanOrEqual(POOL + 6);
  }, 120_000);

  it("keeps a leased handle usable while the LRU evicts it, and drops it at release", async () => {
    const held = ids[500] ?? "";
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const before = tenancy.stats();
    const holder = tenancy.withTenant(held, async ({ models, conn }) => {
      await gate; // meanwhile 2 x LRU other tenants pass through the cache
      expect(conn.readyState).toBe(1);
      return (await models.Note.findOne().lean())?.title;
    });
    while (tenancy.stats().leases < 1) await new Promise((r) => setTimeout(r, 5));
    for (const id of ids.slice(0, LRU * 2))
      await tenancy.withTenant(id, ({ models }) => models.Note.findOne().lean());
    const during = tenancy.stats();
    expect(during.draining).toBe(1); // evicted, waiting for our release
    expect(during.deferredEvictions).toBeGreaterThan(before.deferredEvictions);
    release();
    expect(await holder).toBe(held);
    expect(tenancy.stats()).toMatchObject({ draining: 0, leases: 0, evictedWhileLeased: 0 });
  });

  it("drops an idle handle after its TTL and reopens it on the next use", async () => {
    const short = await createTenancy({
      ...testConfig(server.uri),
      cache: { maxHandles: 5, idleTtlMs: 50 },
    });
    try {
      const t = await short.lifecycle.provision({
        slug: "ttl",
        name: "TTL",
        owner: { email: "o@example.com", name: "O", password: "Correct-Horse-42-Battery!" },
      });
      await short.withTenant(t.id, async () => undefined);
      expect(short.stats().handles).toBe(1);
      await new Promise((r) => setTimeout(r, 120));
      expect(short.stats().handles).toBe(0);
      await short.withTenant(t.id, async ({ models }) =>
        expect(await models.User.countDocuments()).toBe(1),
      );
    } finally {
      await short.shutdown();
    }
  });

  it("lets an evicted handle's connection be collected once a storage measurement used it", async () => {
    // A cache that keeps a promise made inside a tenant's scope keeps the scope (AsyncLocalStorage)
    // and so the handle's connection and models: at 10,000 tenants in the bench that was one
    // evicted connection kept per tenant written to.
    const gc = runInNewContext("gc") as () => void;
    const short = await createTenancy({ ...testConfig(server.uri), cache: { maxHandles: 1 } });
    try {
      const [a, b] = await Promise.all(
        ["gc-a", "gc-b"].map((slug) =>
          short.lifecycle.provision({
            slug,
            name: slug,
            owner: {
              email: `${slug}@example.com`,
              name: "O",
              password: "Correct-Horse-42-Battery!",
            },
          }),
        ),
      );
      let conn: WeakRef<object> | undefined;
      const usage = await short.withTenant(a?.id ?? "", (scope) => {
        conn = new WeakRef(scope.conn);
        return short.plans.usage(scope);
      });
      expect(usage.limits.find((l) => l.limit === "storageBytes")?.used).toBeGreaterThan(0);
      await short.withTenant(b?.id ?? "", async () => undefined); // evicts a's handle
      expect(short.stats()).toMatchObject({ handles: 1, draining: 0 });
      for (let i = 0; i < 20 && conn?.deref(); i++) {
        await new Promise((r) => setTimeout(r, 20));
        gc();
      }
      expect(conn?.deref()).toBeUndefined();
    } finally {
      await short.shutdown();
    }
  });

  it("bounds one tenant's in-flight work so another tenant is not starved", async () => {
    const [busy, quiet] = [ids[0] ?? "", ids[1] ?? ""];
    let inFlight = 0;
    let maxInFlight = 0;
    const flood = Array.from({ length: 40 }, () =>
      tenancy.withTenant(busy, async ({ models }) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await models.Note.findOne().lean();
        await new Promise((r) => setTimeout(r, 50));
        inFlight--;
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    expect(tenancy.stats().queued).toBeGreaterThan(0);
    const t0 = Date.now();
    await tenancy.withTenant(quiet, ({ models }) => models.Note.findOne().lean());
    const quietMs = Date.now() - t0;
    await Promise.all(flood);
    expect(maxInFlight).toBe(4);
    expect(quietMs).toBeLessThan(250); // the flood takes ~500 ms; the quiet tenant does not wait for it
  });
});
