// Point 3 and 5: tenants on two embedded-mongo servers; URIs encrypted and never returned;
// a cluster that goes down fails its tenants with TenantUnavailable within 2 s while the
// tenants on the other cluster keep working.
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startFreezableProxy } from "../test/freezable-proxy";
import type { FreezableProxy } from "../test/freezable-proxy";
import { listDatabaseNames, owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { ClusterNotFound, InvalidInput, TenantUnavailable } from "./errors";
import type { TestTenancy } from "../test/fixture-module";
import { createTenancy } from "./tenancy";
import { controlModelsOf } from "./testing";

let primary: TestServer;
let secondary: TestServer;
let third: TestServer;
let proxy: FreezableProxy;
let tenancy: TestTenancy;
let controlDbName: string;

beforeAll(async () => {
  primary = await startServer();
  secondary = await startServer();
  third = await startServer();
  proxy = await startFreezableProxy(Number(new URL(third.uri).port));
  const config = testConfig(primary.uri, { unavailableAfterMs: 1500 });
  controlDbName = config.controlDbName ?? "";
  tenancy = await createTenancy(config);
});

afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 1000 });
  await primary?.stop();
  await secondary?.stop();
  await proxy?.close();
  await third?.stop();
});

describe("several clusters", () => {
  it("stores cluster URIs encrypted and never returns them", async () => {
    await tenancy.clusters.add({ name: "second", uri: secondary.uri });
    await expect(
      tenancy.clusters.add({ name: "second", uri: secondary.uri }),
    ).rejects.toBeInstanceOf(InvalidInput);
    await expect(
      tenancy.clusters.add({ name: "Bad Name", uri: secondary.uri }),
    ).rejects.toBeInstanceOf(InvalidInput);
    await expect(
      tenancy.clusters.add({ name: "nowhere", uri: "mongodb://127.0.0.1:1" }),
    ).rejects.toThrow(/did not answer/);

    const listed = await tenancy.clusters.list();
    expect(listed).toEqual([
      { name: "default", tenantCount: 0, healthy: true, dedicatedTo: null },
      { name: "second", tenantCount: 0, healthy: true, dedicatedTo: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain("mongodb://");
    const viaModel = await controlModelsOf(tenancy).Cluster.find().lean();
    expect(JSON.stringify(viaModel)).not.toContain("mongodb://"); // the ciphertext is not even selected

    const client = new MongoClient(primary.uri);
    try {
      const raw = await client.db(controlDbName).collection("clusters").find().toArray();
      expect(raw).toHaveLength(2);
      for (const doc of raw) {
        expect(doc.uriEncrypted).toMatch(/^v1\./);
        expect(JSON.stringify(doc)).not.toContain("127.0.0.1");
      }
    } finally {
      await client.close();
    }
  });

  it("places tenants on the named cluster or the emptiest one; each database exists only on its cluster", async () => {
    const a = await tenancy.lifecycle.provision({
      slug: "on-default",
      name: "A",
      owner: owner("a"),
      cluster: "default",
    });
    const b = await tenancy.lifecycle.provision({
      slug: "on-second",
      name: "B",
      owner: owner("b"),
      cluster: "second",
    });
    const c = await tenancy.lifecycle.provision({ slug: "auto-1", name: "C", owner: owner("c") });
    await tenancy.lifecycle.provision({ slug: "auto-2", name: "D", owner: owner("d") });
    const d = await tenancy.registry.getBySlug("auto-2");
    expect([a.cluster, b.cluster]).toEqual(["default", "second"]);
    // After one tenant each, the tie goes by name; then the other cluster is the emptier one.
    expect(c.cluster).toBe("default");
    expect(d.cluster).toBe("second");
    await expect(
      tenancy.lifecycle.provision({
        slug: "nowhere",
        name: "N",
        owner: owner("n"),
        cluster: "nope",
      }),
    ).rejects.toBeInstanceOf(ClusterNotFound);

    const onPrimary = await listDatabaseNames(primary.uri);
    const onSecondary = await listDatabaseNames(secondary.uri);
    for (const t of [a, c]) {
      expect(onPrimary).toContain(t.dbName);
      expect(onSecondary).not.toContain(t.dbName);
    }
    for (const t of [b, d]) {
      expect(onSecondary).toContain(t.dbName);
      expect(onPrimary).not.toContain(t.dbName);
    }
    const title = await tenancy.withTenant(b.id, async ({ models }) => {
      const user = await models.User.findOne().lean();
      await models.Note.create({
        title: "on second",
        body: "",
        tags: [],
        authorId: user?._id,
        authorName: "B",
      });
      return (await models.Note.findOne().lean())?.title;
    });
    expect(title).toBe("on second");
    expect(tenancy.stats().openClients).toBe(2);
    expect((await tenancy.clusters.list()).map((x) => x.tenantCount)).toEqual([2, 2]);
  });

  it("promotes a busy tenant to a pool of its own and back, without moving its data", async () => {
    const a = await tenancy.registry.getBySlug("on-default");
    const before = tenancy.stats().openClients;
    const moved = await tenancy.lifecycle.dedicatePool(a.id);
    expect(moved.cluster).toBe("pool-on-default");
    expect(await tenancy.withTenant(a.id, ({ models }) => models.User.countDocuments())).toBe(1);
    const stats = tenancy.stats();
    expect(stats.openClients).toBe(before + 1);
    expect(stats.clusters.find((c) => c.name === "pool-on-default")?.refs).toBe(1);
    expect((await tenancy.clusters.list()).find((c) => c.name === "pool-on-default")).toMatchObject(
      { dedicatedTo: a.id, tenantCount: 1, healthy: true },
    );
    // A dedicated pool is never chosen for new tenants.
    const other = await tenancy.lifecycle.provision({
      slug: "auto-3",
      name: "E",
      owner: owner("e"),
    });
    expect(other.cluster).not.toBe("pool-on-default");

    const back = await tenancy.lifecycle.releasePool(a.id);
    expect(back.cluster).toBe("default");
    expect(await tenancy.withTenant(a.id, ({ models }) => models.User.countDocuments())).toBe(1);
    expect((await tenancy.clusters.list()).map((c) => c.name)).toEqual(["default", "second"]);
  });

  it("closes a cluster's client once no handle has used it for clusterIdleMs, and reopens it on demand", async () => {
    const idle = await createTenancy({
      ...testConfig(primary.uri),
      controlDbName,
      recoverOnStart: false,
      cache: { maxHandles: 10, idleTtlMs: 100 },
      clusterIdleMs: 100,
    });
    try {
      const b = await idle.registry.getBySlug("on-second");
      await idle.withTenant(b.id, ({ models }) => models.Note.countDocuments());
      expect(idle.stats().openClients).toBe(2);
      await new Promise((r) => setTimeout(r, 400)); // handle TTL, then the client's idle timer
      expect(idle.stats()).toMatchObject({ handles: 0, openClients: 1 });
      expect(await idle.withTenant(b.id, ({ models }) => models.Note.countDocuments())).toBe(1);
      expect(idle.stats().openClients).toBe(2);
    } finally {
      await idle.shutdown();
    }
  });

  it("a cluster that goes down fails its tenants within 2 s while the other cluster keeps serving", async () => {
    const down = await tenancy.registry.getBySlug("on-second");
    const up = await tenancy.registry.getBySlug("on-default");
    await tenancy.withTenant(down.id, ({ models }) => models.Note.countDocuments()); // warm client
    await secondary.stop();

    const t0 = Date.now();
    const failing = tenancy
      .withTenant(down.id, ({ models }) => models.Note.findOne().lean())
      .then(
        () => ({ ok: true, ms: Date.now() - t0, err: null as unknown }),
        (err: unknown) => ({ ok: false, ms: Date.now() - t0, err }),
      );
    // Meanwhile the healthy cluster answers promptly, many times over.
    const healthy: number[] = [];
    for (let i = 0; i < 10; i++) {
      const s = Date.now();
      await tenancy.withTenant(up.id, ({ models }) => models.User.countDocuments());
      healthy.push(Date.now() - s);
    }
    const result = await failing;
    console.info(
      `[clusters] down tenant failed after ${result.ms} ms; healthy tenant op max ${Math.max(...healthy)} ms`,
    );
    expect(result.ok).toBe(false);
    expect(result.err).toBeInstanceOf(TenantUnavailable);
    expect(result.ms).toBeLessThan(2000);
    expect(Math.max(...healthy)).toBeLessThan(500);

    const again = Date.now();
    await expect(
      tenancy.withTenant(down.id, ({ models }) => models.User.countDocuments()),
    ).rejects.toBeInstanceOf(TenantUnavailable);
    expect(Date.now() - again).toBeLessThan(2000);
    const listed = await tenancy.clusters.list();
    expect(listed.find((x) => x.name === "second")?.healthy).toBe(false);
  });

  it("a hung cluster (sockets open, no answers) interrupts in-flight work within 2 s", async () => {
    await tenancy.clusters.add({ name: "hung", uri: proxy.uri });
    const t = await tenancy.lifecycle.provision({
      slug: "on-hung",
      name: "H",
      owner: owner("h"),
      cluster: "hung",
    });
    const up = await tenancy.registry.getBySlug("on-default");
    await tenancy.withTenant(t.id, ({ models }) => models.User.countDocuments());

    proxy.freeze();
    const t0 = Date.now();
    // Started after the freeze: this request's socket write goes into the void.
    const err = await tenancy
      .withTenant(t.id, ({ models }) => models.User.findOne().lean())
      .then(
        () => null,
        (e: unknown) => e,
      );
    const ms = Date.now() - t0;
    const s = Date.now();
    await tenancy.withTenant(up.id, ({ models }) => models.User.countDocuments());
    console.info(
      `[clusters] hung cluster: in-flight op failed after ${ms} ms; healthy op ${Date.now() - s} ms`,
    );
    expect(err).toBeInstanceOf(TenantUnavailable);
    expect(ms).toBeLessThan(2000);
  });
});
