// The fleet entries themselves: one per joined instance, refreshed every beat, holding counts and
// identity only, dropped by the TTL index an hour after the last beat and deleted at shutdown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig, uniqueName } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { API_INSTANCE_TTL_SECONDS } from "./control-models";
import { createTenancy } from "./tenancy";
import { controlModelsOf } from "./testing";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const until = async (ok: () => Promise<boolean>, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("instance heartbeats", () => {
  it("beat, report their own figures and nothing secret, and leave at shutdown", async () => {
    const config = testConfig(server.uri, { controlDbName: uniqueName("ctl"), heartbeatMs: 50 });
    const a = await createTenancy(config);
    const b = await createTenancy(config);
    const control = controlModelsOf(a);
    // A process that never joins (the CLI, a seed script) is not on the fleet.
    expect(await a.fleet.list()).toEqual([]);

    const startedAt = new Date(Date.now() - 90_000);
    await a.fleet.join({ instanceId: "inst-a", version: "1.2.3", startedAt });
    await b.fleet.join({ instanceId: "inst-b", version: "1.2.3", startedAt: new Date() });
    const t = await a.lifecycle.provision({ slug: "beats", name: "B", owner: owner("b") });
    await a.withTenant(t.id, async () => undefined);

    const first = await control.ApiInstance.findById("inst-a").lean();
    await until(async () => {
      const now = await control.ApiInstance.findById("inst-a").lean();
      return (now?.lastSeenAt.getTime() ?? 0) > (first?.lastSeenAt.getTime() ?? 0);
    });
    const fleet = await b.fleet.list();
    expect(fleet.map((i) => i.instanceId)).toEqual(["inst-a", "inst-b"]);
    const entryA = fleet[0];
    expect(entryA).toMatchObject({ pid: process.pid, version: "1.2.3", stale: false, startedAt });
    expect(entryA?.uptimeSeconds).toBeGreaterThanOrEqual(90);
    expect(entryA?.uptimeSeconds).toBeLessThan(120);
    // a's lease shows in a's entry, not in b's.
    expect(entryA?.pool.misses).toBeGreaterThanOrEqual(1);
    expect(fleet[1]?.pool.misses).toBe(0);

    const raw = JSON.stringify(await control.ApiInstance.find().lean());
    for (const secret of [config.encryptionKey, config.controlUri, t.id, t.slug])
      expect(raw).not.toContain(secret);
    const ttl = (await control.ApiInstance.collection.indexes()).find(
      (i) => i.key.lastSeenAt === 1,
    );
    expect(ttl?.expireAfterSeconds).toBe(API_INSTANCE_TTL_SECONDS);

    await a.shutdown({ timeoutMs: 1000 });
    expect((await b.fleet.list()).map((i) => i.instanceId)).toEqual(["inst-b"]);
    await b.shutdown({ timeoutMs: 1000 });
  });

  it("refuses a heartbeat interval outside 50 ms to 60 s", async () => {
    await expect(createTenancy(testConfig(server.uri, { heartbeatMs: 10 }))).rejects.toThrow(
      /heartbeatMs/,
    );
  });
});
