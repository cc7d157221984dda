// Usage metering over real HTTP: tenant calls are counted (by token and by API key) and written at
// a flush; owners and admins read their own organisation's days and CSV only, members are refused,
// super admins read any tenant's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../../test/api-harness";
import { adminClient, appClient, failure, startHarness } from "../../../test/api-harness";

let h: Harness;
let acme: TenantFixture;
let globex: TenantFixture;
const today = () => new Date().toISOString().slice(0, 10);
const MEMBER = { email: "m@acme.test", password: "Correct-Pony-Staple-2026!" };

beforeAll(async () => {
  // Flushes only when asked (and at shutdown), so the counts below are exact.
  h = await startHarness({}, undefined, { usage: { flushSeconds: 0 } });
  acme = await h.tenant("acme");
  globex = await h.tenant("globex");
  await acme.client.members.create.mutate({
    email: MEMBER.email,
    name: "M",
    role: "member",
    password: MEMBER.password,
  });
});
afterAll(async () => h?.stop());

async function flushed() {
  await h.tenancy.usage.flush();
}

describe("usage metering", () => {
  it("counts each tenant call once and shows it after a flush", async () => {
    await flushed();
    const before = (await acme.client.tenant.usageHistory.query()).days.at(-1)?.apiCalls ?? 0;
    for (let i = 0; i < 7; i++) await acme.client.notes.list.query({ limit: 1 });
    await acme.client.notes.create.mutate({ title: "t", body: "", tags: [] });
    // Counted in memory: not visible before the flush (the usageHistory read itself counts too).
    const unflushed = await acme.client.tenant.usageHistory.query();
    expect(unflushed.days.at(-1)?.apiCalls).toBe(before);
    await flushed();
    const after = await acme.client.tenant.usageHistory.query();
    expect(after.tenantId).toBe(acme.id);
    expect(after.days).toHaveLength(30);
    const day = after.days.at(-1);
    expect(day?.day).toBe(today());
    // The first read, 7 lists, 1 create and the unflushed read.
    expect(day?.apiCalls).toBe(before + 10);
    expect(day?.seats).toBe(2);
    expect(day?.storageBytes).toBeGreaterThan(0);
    expect(day?.documents).toHaveProperty("notes");
  });

  it("counts API key calls too", async () => {
    const key = await acme.client.keys.create.mutate({ name: "ci", scopes: ["notes:read"] });
    await flushed();
    const before = (await h.tenancy.usage.daily(acme.id, 1))[0]?.apiCalls ?? 0;
    const byKey = appClient(h.url, key.secret);
    for (let i = 0; i < 3; i++) await byKey.notes.list.query({ limit: 1 });
    await flushed();
    expect((await h.tenancy.usage.daily(acme.id, 1))[0]?.apiCalls).toBe(before + 3);
  });

  it("an owner reads only their own organisation: no tenant id is accepted", async () => {
    const own = await globex.client.tenant.usageHistory.query({ days: 7 });
    expect(own.tenantId).toBe(globex.id);
    expect(own.days).toHaveLength(7);
    const refused = await failure(
      globex.client.tenant.usageHistory.query({ days: 7, id: acme.id } as never),
    );
    expect(refused).toMatchObject({ httpStatus: 400 });
    const csv = await failure(globex.client.tenant.usageCsv.query({ id: acme.id } as never));
    expect(csv.httpStatus).toBe(400);
    expect(await failure(globex.client.tenant.usageHistory.query({ days: 0 }))).toMatchObject({
      httpStatus: 400,
    });
  });

  it("a member is refused with 403", async () => {
    const res = await appClient(h.url).auth.login.mutate({ ...MEMBER, tenantSlug: "acme" });
    if (res.status !== "ok") throw new Error("member login failed");
    const member = appClient(h.url, res.accessToken ?? "");
    for (const call of [member.tenant.usageHistory.query(), member.tenant.usageCsv.query()])
      expect(await failure(call)).toMatchObject({ httpStatus: 403, reason: "FORBIDDEN_ROLE" });
  });

  it("the owner's CSV has a header and one row per day, today's with its counts", async () => {
    await flushed();
    const { fileName, csv } = await acme.client.tenant.usageCsv.query({ days: 30 });
    expect(fileName).toMatch(/^usage-acme-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe("day,apiCalls,seats,storageBytes,documents.notes");
    expect(lines).toHaveLength(31);
    const last = lines.at(-1)?.split(",") ?? [];
    expect(last[0]).toBe(today());
    expect(Number(last[1])).toBeGreaterThan(0);
    expect(last[2]).toBe("2");
  });

  it("a super admin reads any tenant's days and CSV; an unknown tenant is 404", async () => {
    await flushed();
    const a = await h.admin.tenants.usageHistory.query({ id: acme.id, days: 30 });
    const g = await h.admin.tenants.usageHistory.query({ id: globex.id, days: 30 });
    expect(a.tenantId).toBe(acme.id);
    expect(g.tenantId).toBe(globex.id);
    expect(a.days.at(-1)?.apiCalls).toBeGreaterThan(g.days.at(-1)?.apiCalls ?? 0);
    const { csv } = await h.admin.tenants.usageCsv.query({ id: globex.id, days: 30 });
    expect(csv.split("\n")[0]).toBe("day,apiCalls,seats,storageBytes,documents.notes");
    expect(csv.trimEnd().split("\n")).toHaveLength(31);
    const missing = await failure(
      h.admin.tenants.usageHistory.query({ id: "0123456789abcdef01234567", days: 30 }),
    );
    expect(missing.httpStatus).toBe(404);
    // An owner's token does not open the admin procedures.
    const asOwner = await failure(
      adminClient(h.url, acme.token).tenants.usageHistory.query({ id: globex.id, days: 30 }),
    );
    expect(asOwner.httpStatus).toBe(401);
  });
});
