// Promise 2 under a control-plane partition: if an instance cannot poll the control database,
// its cached tenant records stop being trusted within ~1 s and requests fail closed
// (TenantUnavailable) rather than serving a tenant that may have been suspended meanwhile.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startFreezableProxy } from "../test/freezable-proxy";
import type { FreezableProxy } from "../test/freezable-proxy";
import { owner, startServer, testConfig } from "../test/tenancy-fixture";
import type { TestServer } from "../test/tenancy-fixture";
import { TenantUnavailable } from "./errors";
import type { Tenancy } from "./tenancy";
import { createTenancy } from "./tenancy";

let server: TestServer;
let proxy: FreezableProxy;
let tenancy: Tenancy;

beforeAll(async () => {
  server = await startServer();
  proxy = await startFreezableProxy(Number(new URL(server.uri).port));
  tenancy = await createTenancy(testConfig(proxy.uri, { registryRefreshMs: 250 }));
});

afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 500 });
  await proxy?.close();
  await server?.stop();
});

describe("control-plane partition", () => {
  it("fails closed within ~1.5 s instead of trusting a stale tenant cache", async () => {
    const t = await tenancy.lifecycle.provision({
      slug: "partitioned",
      name: "P",
      owner: owner("p"),
    });
    // Warm the cache (a read that races the provisioning's own invalidation is not cached).
    for (let i = 0; i < 100 && !tenancy.registry.isCached(t.id); i++) {
      await tenancy.withTenant(t.id, ({ models }) => models.User.countDocuments());
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(tenancy.registry.isCached(t.id)).toBe(true);

    proxy.freeze();
    const t0 = Date.now();
    let failedAt: number | null = null;
    while (Date.now() - t0 < 5000) {
      const err = await tenancy
        .withTenant(t.id, async () => "served")
        .then(
          () => null,
          (e: unknown) => e,
        );
      if (err) {
        expect(err).toBeInstanceOf(TenantUnavailable);
        failedAt = Date.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    console.info(`[registry] control DB frozen: requests fail closed after ${failedAt} ms`);
    expect(failedAt).not.toBeNull();
    expect(failedAt).toBeLessThan(2000);
  });
});
