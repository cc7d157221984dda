import { describe, expect, it } from "vitest";

import { TenantConcurrency } from "./tenant-concurrency";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("per-tenant concurrency", () => {
  it("queues a busy tenant's own work and leaves other tenants alone", async () => {
    const limiter = new TenantConcurrency(2);
    let inFlight = 0;
    let maxInFlight = 0;
    const busy = Array.from({ length: 10 }, () =>
      limiter.run("busy", async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(50);
        inFlight--;
      }),
    );
    await sleep(1);
    expect(limiter.stats().queued).toBe(8);
    const started = Date.now();
    await limiter.run("quiet", async () => undefined);
    expect(Date.now() - started).toBeLessThan(100); // not behind the busy tenant's ~250 ms queue
    await Promise.all(busy);
    expect(maxInFlight).toBe(2);
    expect(limiter.stats()).toEqual({ busyTenants: 0, queued: 0 });
  });

  it("releases the slot when the work throws", async () => {
    const limiter = new TenantConcurrency(1);
    await expect(limiter.run("t", async () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    await expect(limiter.run("t", async () => 42)).resolves.toBe(42);
    expect(limiter.inFlight("t")).toBe(0);
  });
});
