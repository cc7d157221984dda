// Graceful shutdown: stop taking work, wait for leases, close clients.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { TenantUnavailable } from "./errors";
import type { Tenancy } from "./tenancy";
import { createTenancy } from "./tenancy";

async function leased(tenancy: Tenancy, n: number): Promise<void> {
  while (tenancy.stats().leases < n) await new Promise((r) => setTimeout(r, 5));
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("shutdown", () => {
  it("waits for a leased request to finish, refuses new work, then closes", async () => {
    const tenancy = await createTenancy(testConfig(server.uri));
    const t = await tenancy.lifecycle.provision({ slug: "draining", name: "D", owner: owner("d") });
    let finished = false;
    const inFlight = tenancy.withTenant(t.id, async ({ models }) => {
      await new Promise((r) => setTimeout(r, 300));
      const n = await models.User.countDocuments(); // still usable during the drain
      finished = true;
      return n;
    });
    await leased(tenancy, 1);
    const t0 = Date.now();
    const closing = tenancy.shutdown({ timeoutMs: 5000 });
    await expect(tenancy.withTenant(t.id, async () => 1)).rejects.toBeInstanceOf(TenantUnavailable);
    expect(await closing).toEqual({ drained: true });
    expect(finished).toBe(true);
    expect(await inFlight).toBe(1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(tenancy.stats()).toMatchObject({ leases: 0, handles: 0 });
  });

  it("gives up waiting after timeoutMs", async () => {
    const tenancy = await createTenancy(testConfig(server.uri));
    const t = await tenancy.lifecycle.provision({ slug: "stuck", name: "S", owner: owner("s") });
    let release: () => void = () => undefined;
    const held = tenancy.withTenant(t.id, () => new Promise<void>((r) => (release = r)));
    await leased(tenancy, 1);
    const t0 = Date.now();
    expect(await tenancy.shutdown({ timeoutMs: 200 })).toEqual({ drained: false });
    expect(Date.now() - t0).toBeLessThan(1000);
    release();
    await held;
  });
});
