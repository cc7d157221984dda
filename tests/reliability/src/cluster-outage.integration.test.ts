// Two clusters; one becomes unreachable. Tenants on the healthy cluster must not notice (0
// errors), tenants on the lost one get TENANT_UNAVAILABLE within 2 s — first with the process
// hung (SIGSTOP: sockets open, nothing answers, the harder case), then killed outright.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ApiChild, MongoChild } from "./child-processes";
import { startApiChild, startMongoChild } from "./child-processes";
import type { LoadFailure } from "./load-run";
import { runLoad } from "./load-run";
import { callProcedure } from "./trpc-over-http";
import {
  OWNER_PASSWORD,
  apiEnv,
  newDeployment,
  openTenancy,
  provisionTenants,
} from "./tenant-fixtures";
import type { TenantSeed } from "./tenant-fixtures";

const UNAVAILABLE_WITHIN_MS = 2_000;

let control: MongoChild;
let east: MongoChild;
let api: ApiChild;
let home: TenantSeed[];
let away: TenantSeed[];
const tokens = new Map<string, string>();

async function login(seed: TenantSeed): Promise<string> {
  const r = await callProcedure(api.url, "app", "mutation", "auth.login", {
    email: seed.email,
    password: OWNER_PASSWORD,
    tenantSlug: seed.slug,
  });
  const token = (r.data as { accessToken?: string } | null)?.accessToken;
  if (!token) throw new Error(`login ${seed.slug}: ${r.raw.slice(0, 200)}`);
  return token;
}

beforeAll(async () => {
  control = await startMongoChild();
  east = await startMongoChild();
  const deployment = newDeployment(control.uri);
  const tenancy = await openTenancy(deployment);
  try {
    await tenancy.clusters.add({ name: "east", uri: east.uri });
    home = await provisionTenants(tenancy, 6, { prefix: "home", cluster: "default" });
    away = await provisionTenants(tenancy, 4, { prefix: "away", cluster: "east" });
  } finally {
    await tenancy.shutdown({ timeoutMs: 2000 });
  }
  expect(new Set(home.map((s) => s.cluster))).toEqual(new Set(["default"]));
  expect(new Set(away.map((s) => s.cluster))).toEqual(new Set(["east"]));
  api = await startApiChild(apiEnv(deployment));
  for (const s of [...home, ...away]) tokens.set(s.slug, await login(s));
}, 120_000);

afterAll(async () => {
  if (east?.child.exitCode === null) east.child.kill("SIGCONT");
  await api?.stop();
  await east?.stop();
  await control?.stop();
});

/** Each away tenant's call, timed: code, reason, milliseconds. */
async function probeAway(): Promise<
  { slug: string; ms: number; status: number; reason: string | null }[]
> {
  return Promise.all(
    away.map(async (s) => {
      const t0 = Date.now();
      const r = await callProcedure(
        api.url,
        "app",
        "query",
        "notes.list",
        { limit: 5 },
        { token: tokens.get(s.slug), signal: AbortSignal.timeout(10_000) },
      ).catch((err: Error) => ({ ok: false, status: 0, reason: err.message }));
      return {
        slug: s.slug,
        ms: Date.now() - t0,
        status: r.status,
        reason: r.ok ? "ok" : r.reason,
      };
    }),
  );
}

async function homeLoadWhile(
  fn: () => Promise<void>,
): Promise<{ failures: LoadFailure[]; calls: number }> {
  const failures: LoadFailure[] = [];
  const stop = new AbortController();
  const load = runLoad({
    url: api.url,
    tenants: home,
    users: 8,
    durationMs: 60_000,
    signal: stop.signal,
    onFailure: (f) => failures.push(f),
  });
  try {
    await new Promise((r) => setTimeout(r, 1_000));
    const t0 = Date.now();
    await fn();
    // Keep the healthy tenants busy a while after the outage began, not just during the probes.
    await new Promise((r) => setTimeout(r, Math.max(0, 4_000 - (Date.now() - t0))));
  } finally {
    stop.abort();
  }
  const report = await load;
  return { failures, calls: Object.values(report.ops).reduce((a, b) => a + b, 0) };
}

describe("one of two clusters unreachable", () => {
  it("both clusters serve while healthy", async () => {
    const probes = await probeAway();
    expect(probes.map((p) => p.reason)).toEqual(away.map(() => "ok"));
  });

  it("hung cluster (SIGSTOP): its tenants get TENANT_UNAVAILABLE within 2 s, the others see 0 errors", async () => {
    const seen: Awaited<ReturnType<typeof probeAway>>[] = [];
    const { failures, calls } = await homeLoadWhile(async () => {
      east.child.kill("SIGSTOP");
      for (let round = 0; round < 3; round++) seen.push(await probeAway());
      // A login for a tenant on the hung cluster fails the same way (its password lives there).
      const t0 = Date.now();
      const login = await callProcedure(api.url, "app", "mutation", "auth.login", {
        email: away[0]?.email,
        password: OWNER_PASSWORD,
        tenantSlug: away[0]?.slug,
      });
      seen.push([
        { slug: "login", ms: Date.now() - t0, status: login.status, reason: login.reason },
      ]);
    });
    console.info(
      `hung cluster: away probes ${JSON.stringify(seen.flat().map((p) => `${p.reason}/${p.status}/${p.ms}ms`))}; home calls ${calls}, failures ${failures.length}`,
    );
    for (const p of seen.flat()) {
      expect(p.reason, JSON.stringify(p)).toBe("TENANT_UNAVAILABLE");
      expect(p.status).toBe(503);
      expect(p.ms).toBeLessThan(UNAVAILABLE_WITHIN_MS);
    }
    expect(calls).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  }, 60_000);

  it("killed cluster (SIGKILL): same, and the hung-then-dead cluster never slows the healthy one", async () => {
    east.child.kill("SIGCONT");
    const seen: Awaited<ReturnType<typeof probeAway>>[] = [];
    const { failures, calls } = await homeLoadWhile(async () => {
      await east.kill9();
      for (let round = 0; round < 3; round++) seen.push(await probeAway());
    });
    console.info(
      `dead cluster: away probes ${JSON.stringify(seen.flat().map((p) => `${p.reason}/${p.status}/${p.ms}ms`))}; home calls ${calls}, failures ${failures.length}`,
    );
    for (const p of seen.flat()) {
      expect(p.reason, JSON.stringify(p)).toBe("TENANT_UNAVAILABLE");
      expect(p.ms).toBeLessThan(UNAVAILABLE_WITHIN_MS);
    }
    expect(calls).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  }, 60_000);
});
