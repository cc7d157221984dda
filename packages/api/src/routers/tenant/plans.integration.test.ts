// Plans over HTTP: each limit refused with 402 and nothing written, the owners' 80% warning,
// read-only over storage, a feature gate, and plan changes through the admin API (audited, and
// in force at once).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../../test/api-harness";
import { appClient, failure, startHarness } from "../../../test/api-harness";

let h: Harness;
let acme: TenantFixture;

beforeAll(async () => {
  h = await startHarness();
  acme = await h.tenant("acme");
});
afterAll(async () => h?.stop());

const seatsUsed = async (t: TenantFixture) =>
  (await t.client.tenant.usage.query()).limits.find((l) => l.limit === "seats")?.used;
const notesCount = async (t: TenantFixture) =>
  (await t.client.notes.list.query({ limit: 100 })).items.length;
const note = (title: string) => ({ title, body: "", tags: [] });

describe("plans", () => {
  it("new tenants are on the free plan; the admin page lists every limit in force", async () => {
    const t = await h.admin.tenants.get.query({ id: acme.id });
    expect(t.plan).toBe("free");
    expect(t.planLimits).toEqual(
      expect.arrayContaining([
        { name: "seats", override: null, max: 10 },
        { name: "notes", override: null, max: 1000 },
        { name: "storageBytes", override: null, max: 100 * 1024 * 1024 },
        { name: "inFlight", override: null, max: 8 },
      ]),
    );
  });

  it("refuses a member past the seats limit with 402 and writes nothing; raising seats lets the invite through", async () => {
    await h.admin.tenants.setPlan.mutate({ id: acme.id, plan: "free", limits: { seats: 2 } });
    await acme.client.members.create.mutate({ email: "a@acme.test", name: "A", role: "member" });
    expect(await seatsUsed(acme)).toBe(2);

    const refused = await failure(
      acme.client.members.create.mutate({ email: "b@acme.test", name: "B", role: "member" }),
    );
    expect(refused).toMatchObject({ code: "PAYMENT_REQUIRED", httpStatus: 402 });
    expect(refused.reason).toBe("QUOTA_EXCEEDED");
    expect(refused.data.quota).toEqual({ limit: "seats", used: 2, max: 2 });
    expect(refused.message).toMatch(/seats 2 of 2/);
    expect(await seatsUsed(acme)).toBe(2);
    expect(await h.tenancy.directory.findByEmail("b@acme.test")).toEqual([]);

    await h.admin.tenants.setPlan.mutate({ id: acme.id, plan: "free", limits: { seats: 3 } });
    const invited = await acme.client.members.create.mutate({
      email: "b@acme.test",
      name: "B",
      role: "member",
    });
    expect(invited.member.status).toBe("invited");
    expect(await seatsUsed(acme)).toBe(3);
  });

  it("a deactivated member frees a seat, and reactivating needs one", async () => {
    const list = await acme.client.members.list.query({ search: "a@acme" });
    const a = list.items[0]?.id ?? "";
    await acme.client.members.deactivate.mutate({ userId: a });
    await acme.client.members.create.mutate({ email: "c@acme.test", name: "C", role: "member" });
    const refused = await failure(acme.client.members.reactivate.mutate({ userId: a }));
    expect(refused).toMatchObject({ httpStatus: 402, reason: "QUOTA_EXCEEDED" });
    const after = await acme.client.members.list.query({ search: "a@acme" });
    expect(after.items[0]?.status).toBe("deactivated");
  });

  it("refuses a note past the module's items limit with 402 and writes nothing", async () => {
    await h.admin.tenants.setPlan.mutate({ id: acme.id, plan: "free", limits: { notes: 2 } });
    await acme.client.notes.create.mutate(note("one"));
    await acme.client.notes.create.mutate(note("two"));
    const before = await notesCount(acme);
    const refused = await failure(acme.client.notes.create.mutate(note("three")));
    expect(refused).toMatchObject({ httpStatus: 402, reason: "QUOTA_EXCEEDED" });
    expect(refused.data.quota).toEqual({ limit: "notes", used: 2, max: 2 });
    expect(await notesCount(acme)).toBe(before);
    // Edits and deletes are not creates: they stay open at the limit.
    const first = (await acme.client.notes.list.query({ limit: 1 })).items[0];
    await acme.client.notes.update.mutate({ id: first?.id ?? "", title: "one, edited" });
  });

  it("warns owners from 80% of a limit, and only owners see usage", async () => {
    await h.admin.tenants.setPlan.mutate({ id: acme.id, plan: "free", limits: { notes: 3 } });
    // 2 of 3 notes: 67%, no warning yet.
    let usage = await acme.client.tenant.usage.query();
    expect(usage.limits.find((l) => l.limit === "notes")).toMatchObject({
      used: 2,
      max: 3,
      warning: false,
      reached: false,
    });
    // 4 of 5 notes once the limit is 5: 80%; all 3 seats held.
    await h.admin.tenants.setPlan.mutate({ id: acme.id, plan: "free", limits: { notes: 5 } });
    await acme.client.notes.create.mutate(note("three"));
    await acme.client.notes.create.mutate(note("four"));
    usage = await acme.client.tenant.usage.query();
    expect(usage.plan).toBe("free");
    expect(usage.readOnly).toBe(false);
    expect(usage.limits.find((l) => l.limit === "notes")).toMatchObject({
      used: 4,
      max: 5,
      ratio: 0.8,
      warning: true,
    });
    const seats = usage.limits.find((l) => l.limit === "seats");
    expect(seats).toMatchObject({ used: 3, max: 3, warning: true, reached: true });
    const storage = usage.limits.find((l) => l.limit === "storageBytes");
    expect(storage?.used).toBeGreaterThan(0);
    expect(storage?.warning).toBe(false);

    await h.admin.tenants.setPlan.mutate({ id: acme.id, plan: "free", limits: { seats: 10 } });
    await acme.client.members.create.mutate({
      email: "ops@acme.test",
      name: "Ad",
      role: "admin",
      password: "Correct-Pony-Staple-2026!",
    });
  });

  it("a non-owner is refused the usage report", async () => {
    const res = await appClient(h.url).auth.login.mutate({
      email: "ops@acme.test",
      password: "Correct-Pony-Staple-2026!",
      tenantSlug: "acme",
    });
    if (res.status !== "ok") throw new Error("login failed");
    const adminUser = appClient(h.url, res.accessToken ?? "");
    expect(await failure(adminUser.tenant.usage.query())).toMatchObject({
      httpStatus: 403,
      reason: "FORBIDDEN_ROLE",
    });
  });

  it("over its storage limit a tenant is read-only: writes get 402, reads keep working", async () => {
    const tiny = await h.tenant("tiny");
    await tiny.client.notes.create.mutate(note("kept"));
    await h.admin.tenants.setPlan.mutate({
      id: tiny.id,
      plan: "free",
      limits: { storageBytes: 1 },
    });
    const before = await notesCount(tiny);

    const refused = await failure(tiny.client.notes.create.mutate(note("refused")));
    expect(refused).toMatchObject({ httpStatus: 402, reason: "STORAGE_LIMIT_READ_ONLY" });
    expect(refused.data.quota).toMatchObject({ limit: "storageBytes", max: 1 });
    expect(refused.message).toMatch(/read-only/);
    expect(
      (await failure(tiny.client.settings.update.mutate({ displayName: "Renamed" }))).reason,
    ).toBe("STORAGE_LIMIT_READ_ONLY");
    expect(
      (
        await failure(
          tiny.client.members.create.mutate({ email: "x@tiny.test", name: "X", role: "member" }),
        )
      ).reason,
    ).toBe("STORAGE_LIMIT_READ_ONLY");

    // The status code on the wire, not only in the error body.
    const raw = await fetch(`${h.url}/trpc/notes.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tiny.token}` },
      body: JSON.stringify({ json: note("raw") }),
    });
    expect(raw.status).toBe(402);

    // Reads keep working, and nothing was written.
    expect(await notesCount(tiny)).toBe(before);
    expect((await tiny.client.auth.me.query()).user.email).toBe(tiny.ownerEmail);
    const usage = await tiny.client.tenant.usage.query();
    expect(usage.readOnly).toBe(true);
    expect(usage.limits.find((l) => l.limit === "storageBytes")?.reached).toBe(true);

    // Raising the limit ends read-only at once (the measured size is cached, the limit is not).
    await h.admin.tenants.setPlan.mutate({
      id: tiny.id,
      plan: "free",
      limits: { storageBytes: null },
    });
    await tiny.client.notes.create.mutate(note("after"));
    expect(await notesCount(tiny)).toBe(before + 1);
  });

  it("gates a procedure by plan feature: 403 FEATURE_NOT_IN_PLAN on free, open on pro", async () => {
    const gated = await failure(acme.client.audit.export.query());
    expect(gated).toMatchObject({ httpStatus: 403, reason: "FEATURE_NOT_IN_PLAN" });
    expect(gated.message).toMatch(/auditExport.*free/);
    await h.admin.tenants.setPlan.mutate({ id: acme.id, plan: "pro" });
    const exported = await acme.client.audit.export.query();
    expect(exported.items.map((e) => e.action)).toContain("notes.create");
  });

  it("audits every plan change with before and after; refuses bad plans and limits with 400", async () => {
    const changed = await h.admin.tenants.setPlan.mutate({
      id: acme.id,
      plan: "enterprise",
      limits: { seats: 50, notes: null },
    });
    expect(changed.plan).toBe("enterprise");
    expect(changed.planLimits.find((l) => l.name === "seats")).toEqual({
      name: "seats",
      override: 50,
      max: 50,
    });
    const audit = await h.admin.audit.list.query({
      action: "tenant.plan.changed",
      tenantId: acme.id,
      limit: 1,
    });
    expect(audit.items[0]).toMatchObject({
      actor: { type: "admin" },
      tenantSlug: "acme",
      details: {
        before: { plan: "pro", limits: { seats: 10, notes: 5 } },
        after: { plan: "enterprise", limits: { seats: 50 } },
      },
    });

    const badLimit = await failure(
      h.admin.tenants.setPlan.mutate({ id: acme.id, plan: "pro", limits: { bogus: 1 } }),
    );
    expect(badLimit).toMatchObject({ httpStatus: 400, reason: "INVALID_INPUT" });
    expect(badLimit.message).toMatch(/Unknown limit bogus/);
    const negative = await failure(
      h.admin.tenants.setPlan.mutate({ id: acme.id, plan: "pro", limits: { seats: -1 } }),
    );
    expect(negative).toMatchObject({ httpStatus: 400, reason: "INVALID_INPUT" });
    const badPlan = await failure(
      h.admin.tenants.setPlan.mutate({ id: acme.id, plan: "gold" as "pro" }),
    );
    expect(badPlan.httpStatus).toBe(400);
    // Tenant users cannot reach the admin procedure at all (different router and audience).
    expect((await h.admin.tenants.get.query({ id: acme.id })).plan).toBe("enterprise");
  });
});
