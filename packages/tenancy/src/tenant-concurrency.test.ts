// The admission queue: a tenant's in-flight bound, the bounded queue behind it and its deadline.
// Slow work is a promise the test settles itself, so "refused before the slow calls finish" is
// an ordering, not a timing threshold.
import { describe, expect, it } from "vitest";

import { TenantBusy } from "./errors";
import { TenantConcurrency } from "./tenant-concurrency";

const OPTS = { queueFactor: 2, queueTimeoutMs: 60_000, busyRetryAfterSeconds: 3 };

/** Work that runs until the test releases it. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

const settled = async (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (err: unknown) => err,
  );

describe("per-tenant admission queue", () => {
  it("queues up to queueFactor × the bound, then refuses at once; other tenants go ahead", async () => {
    const limiter = new TenantConcurrency(OPTS);
    const slow = gate();
    let running = 0;
    let maxRunning = 0;
    const work = () =>
      limiter.run("busy", 2, async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await slow.opened;
        running--;
      });
    const admitted = Array.from({ length: 6 }, work); // 2 run, 4 wait (2 × 2)
    expect(limiter.stats()).toMatchObject({ queued: 4, busyRefusals: 0 });

    const refused = await settled(work());
    expect(refused).toBeInstanceOf(TenantBusy);
    expect(refused).toMatchObject({ code: "TENANT_BUSY", retryAfterSeconds: 3 });
    expect(running).toBe(2); // refused while the slow calls are all still running

    await expect(limiter.run("quiet", 2, async () => "ok")).resolves.toBe("ok");

    slow.open();
    await Promise.all(admitted);
    expect(maxRunning).toBe(2);
    expect(limiter.stats()).toEqual({ busyTenants: 0, queued: 0, busyRefusals: 1 });
  });

  it("refuses a queued call once it has waited queueTimeoutMs, and the queue moves on", async () => {
    const limiter = new TenantConcurrency({ ...OPTS, queueTimeoutMs: 30 });
    const slow = gate();
    const holder = limiter.run("t", 1, () => slow.opened);
    let holderDone = false;
    void holder.then(() => (holderDone = true));
    const waited = await settled(limiter.run("t", 1, async () => "never"));
    expect(waited).toBeInstanceOf(TenantBusy);
    expect((waited as Error).message).toMatch(/queued 30 ms/);
    expect(holderDone).toBe(false);
    expect(limiter.stats().queued).toBe(0);
    slow.open();
    await holder;
    await expect(limiter.run("t", 1, async () => 42)).resolves.toBe(42);
    expect(limiter.stats().busyTenants).toBe(0);
  });

  it("a bound of 0 refuses every call; a lowered bound hands no slot over until under it", async () => {
    const limiter = new TenantConcurrency(OPTS);
    await expect(limiter.run("none", 0, async () => 1)).rejects.toBeInstanceOf(TenantBusy);

    const slow = gate();
    const first = [limiter.run("t", 3, () => slow.opened), limiter.run("t", 3, () => slow.opened)];
    let started = 0;
    const queued = limiter.run("t", 1, async () => {
      started++;
    });
    expect(limiter.stats().queued).toBe(1);
    slow.open();
    await Promise.all([...first, queued]);
    expect(started).toBe(1);
    expect(limiter.inFlight("t")).toBe(0);
  });

  it("releases the slot when the work throws", async () => {
    const limiter = new TenantConcurrency(OPTS);
    await expect(
      limiter.run("t", 1, async () => Promise.reject(new Error("boom"))),
    ).rejects.toThrow("boom");
    await expect(limiter.run("t", 1, async () => 42)).resolves.toBe(42);
    expect(limiter.inFlight("t")).toBe(0);
  });
});
