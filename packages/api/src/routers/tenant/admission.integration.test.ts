// Per-tenant admission over real HTTP against the embedded server: the plan's in-flight bound with
// its bounded queue (503 TENANT_BUSY + Retry-After, at once), the queue's deadline, and the plan's
// request rate (429 TENANT_RATE_LIMITED + Retry-After) counted across two api instances over the
// same control database; other tenants go on. Slow calls are a test procedure that waits for a
// gate the test opens, so "refused before the slow calls finish" is an ordering, not a timing.
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, Instance, TenantFixture } from "../../../test/api-harness";
import { startHarness, startInstance } from "../../../test/api-harness";
import { APP_MODULES } from "../../app-modules";
import { createTRPCRouter, defineAppModule, tenantProcedure } from "../../module-kit";
import { composeAppRouter } from "../../root";

let gate = open();
function open() {
  let release: () => void = () => undefined;
  const opened = new Promise<void>((r) => (release = r));
  return { release, opened };
}

/** A tenant call that holds its in-flight slot until the test opens the gate. */
const gated = defineAppModule(
  { name: "gated", schemas: {}, migrations: [] },
  createTRPCRouter({
    wait: tenantProcedure.query(async () => {
      await gate.opened;
      return "done";
    }),
  }),
);
const modules = [...APP_MODULES, gated] as const;
const app = { modules, appRouter: composeAppRouter(modules) };
// A queue of 1 × inFlight; syncs fast so the second instance sees the count soon.
const ADMISSION = { queueFactor: 1, queueTimeoutMs: 60_000, rateSyncMs: 50 };

let h: Harness;
let second: Instance;
let short: Instance;
let acme: TenantFixture;
let globex: TenantFixture;
let mongo: MongoClient;

beforeAll(async () => {
  h = await startHarness({}, app, { admission: ADMISSION });
  second = await startInstance(h.uri, h.controlDbName, {}, { admission: ADMISSION }, app);
  // Another instance whose queued calls give up after 200 ms.
  short = await startInstance(
    h.uri,
    h.controlDbName,
    {},
    { admission: { ...ADMISSION, queueTimeoutMs: 200 } },
    app,
  );
  acme = await h.tenant("acme");
  globex = await h.tenant("globex");
  mongo = await MongoClient.connect(h.uri);
});
afterAll(async () => {
  gate.release();
  await mongo?.close();
  await short?.close();
  await second?.close();
  await h?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  reason: string | null;
  message: string | null;
}

async function call(base: string, t: TenantFixture, path: string): Promise<Answer> {
  const res = await fetch(`${base}/trpc/${path}`, {
    headers: { authorization: `Bearer ${t.token}` },
  });
  const body = (await res.json()) as {
    error?: { json: { message: string; data: { reason: string | null } } };
  };
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    reason: body.error?.json.data.reason ?? null,
    message: body.error?.json.message ?? null,
  };
}
const notes = encodeURIComponent(JSON.stringify({ json: { limit: 1 } }));
const listNotes = (base: string, t: TenantFixture) => call(base, t, `notes.list?input=${notes}`);

/** A call that tells whether it has answered yet. */
function tracked(p: Promise<Answer>) {
  const t = { done: false, answer: p };
  void p.then(() => (t.done = true));
  return t;
}

/** Waits (no deadline of its own: the test's timeout is the bound) until `check` holds. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 10));
}

async function planLimitSeen(instance: Instance, id: string, name: string, value: number) {
  await until(async () => (await instance.tenancy.registry.get(id)).limits[name] === value);
}

describe("per-tenant admission", () => {
  it("refuses a call beyond the in-flight bound and its queue with 503 TENANT_BUSY at once; other tenants go on", async () => {
    gate = open();
    await h.admin.tenants.setPlan.mutate({ id: acme.id, plan: "free", limits: { inFlight: 2 } });
    await planLimitSeen(h, acme.id, "inFlight", 2);
    // 2 in flight + 2 queued (queueFactor 1 × inFlight 2).
    const slow = Array.from({ length: 4 }, () => tracked(call(h.url, acme, "gated.wait")));
    await until(() => h.tenancy.stats().queued === 2);

    const refused = await call(h.url, acme, "gated.wait");
    expect(refused).toMatchObject({ status: 503, reason: "TENANT_BUSY", retryAfter: "1" });
    expect(refused.message).toMatch(/too many requests in progress/);
    expect(slow.every((s) => !s.done)).toBe(true); // every slow call is still running

    // Another tenant on the same instance is not behind acme's queue.
    expect((await listNotes(h.url, globex)).status).toBe(200);
    expect(slow.every((s) => !s.done)).toBe(true);

    gate.release();
    const answers = await Promise.all(slow.map((s) => s.answer));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(h.tenancy.stats()).toMatchObject({ queued: 0, busyRefusals: 1 });
  });

  it("refuses a queued call with 503 TENANT_BUSY once it has waited the queue's deadline", async () => {
    gate = open();
    await planLimitSeen(short, acme.id, "inFlight", 2);
    const slow = Array.from({ length: 2 }, () => tracked(call(short.url, acme, "gated.wait")));
    await until(() => short.tenancy.stats().busyTenants === 1);
    const waited = await call(short.url, acme, "gated.wait");
    expect(waited).toMatchObject({ status: 503, reason: "TENANT_BUSY", retryAfter: "1" });
    expect(waited.message).toMatch(/queued 200 ms without a slot/);
    expect(slow.every((s) => !s.done)).toBe(true);
    gate.release();
    expect((await Promise.all(slow.map((s) => s.answer))).map((a) => a.status)).toEqual([200, 200]);
  });

  it("refuses calls over the plan's rate with 429 TENANT_RATE_LIMITED on every instance; other tenants go on", async () => {
    const rated = await h.tenant("rated");
    await h.admin.tenants.setPlan.mutate({
      id: rated.id,
      plan: "free",
      limits: { requestsPerMinute: 5 },
    });
    await planLimitSeen(h, rated.id, "requestsPerMinute", 5);
    await planLimitSeen(second, rated.id, "requestsPerMinute", 5);

    // Its sign-in already counted; the rest of the minute's 5 calls answer, then 429.
    const answers: Answer[] = [];
    while (answers.at(-1)?.status !== 429 && answers.length < 10)
      answers.push(await listNotes(h.url, rated));
    const refused = answers.at(-1);
    const ok = answers.filter((a) => a.status === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThanOrEqual(5);
    expect(refused).toMatchObject({ status: 429, reason: "TENANT_RATE_LIMITED" });
    expect(refused?.message).toMatch(/5 requests per minute/);
    expect(Number(refused?.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused?.retryAfter)).toBeLessThanOrEqual(60);

    // Every call admitted anywhere reaches the shared count, which stops at the plan's 5.
    const counter = mongo.db(h.controlDbName).collection("tenantRequestRates");
    await until(async () => (await counter.findOne({ key: `tenant:${rated.id}` }))?.points === 5);

    // The second instance shares the count: its very first call for the tenant is refused.
    const elsewhere = await listNotes(second.url, rated);
    expect(elsewhere).toMatchObject({ status: 429, reason: "TENANT_RATE_LIMITED" });
    expect(Number(elsewhere.retryAfter)).toBeGreaterThan(0);

    // Other tenants, on both instances, are not counted with it.
    expect((await listNotes(h.url, globex)).status).toBe(200);
    expect((await listNotes(second.url, globex)).status).toBe(200);
    expect((await counter.findOne({ key: `tenant:${rated.id}` }))?.points).toBe(5);
    expect(h.tenancy.stats().rateRefusals).toBeGreaterThan(0);
  });
});
