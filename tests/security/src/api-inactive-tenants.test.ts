// Audit F-5: a suspended or deleted tenant's members cannot be enumerated and its suspension
// reason cannot be read without the password. A wrong password costs a full verification, is
// counted, and answers exactly as any wrong password; status and reason come after a right one.
import { openTenancy, provisionTenants } from "@tenantry/reliability/tenant-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Stack, TenantSeed } from "./api-stack";
import { OWNER_PASSWORD, startStack } from "./api-stack";

let s: Stack;
let active: TenantSeed;
let suspended: TenantSeed;
const REASON = "Unpaid invoice 4711, see ticket (confidential)";
const WRONG = "Wrong-Guess-000-xyz";

beforeAll(async () => {
  s = await startStack({ tenants: 1 });
  // Production-cost hashes for these two, so a skipped verification would show in the timing.
  const real = await openTenancy(s.deployment, { passwordHashing: {} });
  try {
    [active, suspended] = (await provisionTenants(real, 2, { prefix: "costly" })) as [
      TenantSeed,
      TenantSeed,
    ];
  } finally {
    await real.shutdown();
  }
  const res = await s.apiCall(
    "admin",
    "mutation",
    "tenants.suspend",
    { id: suspended.id, reason: REASON },
    { token: s.adminToken },
  );
  expect(res.ok).toBe(true);
  await new Promise((r) => setTimeout(r, 800)); // every registry has seen it
}, 180_000);
afterAll(async () => s?.stop());

const from = (n: number) => ({ headers: { "x-forwarded-for": `192.0.2.${n}` } });
const login = (seed: TenantSeed, password: string, n: number) =>
  s.apiCall("app", "mutation", "auth.login", { email: seed.email, password }, from(n));

async function medianMs(run: () => Promise<unknown>, n = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)] ?? 0;
}

describe("a suspended tenant's member, wrong password", () => {
  it("answers exactly as a wrong password anywhere: 401 INVALID_CREDENTIALS, no status, no reason", async () => {
    const [forSuspended, forActive] = [
      await login(suspended, WRONG, 1),
      await login(active, WRONG, 1),
    ];
    expect(forSuspended.status).toBe(401);
    expect(forSuspended.reason).toBe("INVALID_CREDENTIALS");
    expect(forSuspended.message).toBe(forActive.message);
    // Byte for byte the same answer (the field exists on every error; it stays null).
    expect(forSuspended.raw).toBe(forActive.raw);
    expect(forSuspended.raw).not.toMatch(/TENANT_SUSPENDED|invoice|4711/);
  });

  it("costs a password verification, like a wrong password for an active tenant", async () => {
    const slowActive = await medianMs(() => login(active, WRONG, 2));
    const slowSuspended = await medianMs(() => login(suspended, WRONG, 3));
    // Skipping the verification answered in ~6 ms against ~150 ms: an order of magnitude.
    expect(slowSuspended).toBeGreaterThan(0.4 * slowActive);
  });

  it("is counted: after 5 the right password is refused with 429 too", async () => {
    for (let i = 0; i < 5; i++)
      expect((await login(suspended, WRONG, 4)).reason).toBe("INVALID_CREDENTIALS");
    expect((await login(suspended, OWNER_PASSWORD, 4)).reason).toBe("RATE_LIMITED");
  });
});

describe("the right password", () => {
  it("is told the tenant is suspended, and why", async () => {
    const r = await login(suspended, OWNER_PASSWORD, 5);
    expect(r.status).toBe(403);
    expect(r.reason).toBe("TENANT_SUSPENDED");
    expect(r.raw).toContain(REASON);
  });

  it("of a deleted tenant is told it was deleted; a wrong one is not", async () => {
    const del = await s.apiCall(
      "admin",
      "mutation",
      "tenants.delete",
      { id: active.id },
      { token: s.adminToken },
    );
    expect(del.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 800));
    const wrong = await login(active, WRONG, 6);
    expect(wrong.reason).toBe("INVALID_CREDENTIALS");
    expect(wrong.raw).not.toMatch(/deleted/i);
    expect((await login(active, OWNER_PASSWORD, 7)).reason).toBe("TENANT_DELETED");
  });
});
