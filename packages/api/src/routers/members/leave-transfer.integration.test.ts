// Leaving an organisation and transferring ownership over real HTTP: tenancy's members holds the
// rules (the last owner stays, only owners transfer, only to active members), the api maps them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../../test/api-harness";
import { appClient, failure, startHarness } from "../../../test/api-harness";

let h: Harness;
let acme: TenantFixture;
const PASS = "Member-Leaves-Pass-2026!";

const login = async (email: string, password = PASS) => {
  const res = await appClient(h.url).auth.login.mutate({ email, password });
  if (res.status !== "ok") throw new Error("login failed");
  return appClient(h.url, res.accessToken ?? "");
};
const add = async (email: string, role: "member" | "admin" = "member", password?: string) =>
  (
    await acme.client.members.create.mutate({
      email,
      name: email.split("@")[0] ?? email,
      role,
      ...(password ? { password } : {}),
    })
  ).member;

beforeAll(async () => {
  h = await startHarness();
  acme = await h.tenant("acme");
});
afterAll(async () => h?.stop());

describe("members.leave", () => {
  it("removes the member, ends their sessions, updates the directory, audits once", async () => {
    const m = await add("leaver@acme.test", "member", PASS);
    const client = await login("leaver@acme.test");
    const second = await login("leaver@acme.test");
    expect((await client.auth.me.query()).user.email).toBe("leaver@acme.test");

    expect(await client.members.leave.mutate()).toEqual({ ok: true });

    for (const c of [client, second])
      expect((await failure(c.auth.me.query())).httpStatus).toBe(401);
    const sessions = await h.tenancy.withTenant(acme.id, ({ models }) =>
      models.Session.find({ userId: m.id }).lean(),
    );
    expect(sessions.length).toBe(2);
    expect(sessions.every((s) => s.revokedAt)).toBe(true);
    expect(await h.tenancy.directory.findByEmail("leaver@acme.test")).toEqual([]);
    expect(
      (await acme.client.members.list.query({ search: "leaver@" })).items.map((x) => x.email),
    ).toEqual([]);
    expect(
      (
        await failure(
          appClient(h.url).auth.login.mutate({ email: "leaver@acme.test", password: PASS }),
        )
      ).reason,
    ).toBe("INVALID_CREDENTIALS");
    const audit = await acme.client.audit.list.query({ action: "members.leave" });
    expect(audit.items.map((a) => [a.target, a.actor.email])).toEqual([[m.id, "leaver@acme.test"]]);
  });

  it("refuses the last owner with a 4xx telling them to transfer ownership first", async () => {
    const refused = await failure(acme.client.members.leave.mutate());
    expect(refused).toMatchObject({ reason: "LAST_OWNER", httpStatus: 412 });
    expect(refused.message).toMatch(/transfer ownership first/);
    expect((await acme.client.auth.me.query()).user.role).toBe("owner");
  });
});

describe("members.transferOwnership", () => {
  it("only an owner may transfer: admins and members get 403", async () => {
    const target = await add("target1@acme.test", "member", PASS);
    await add("admin1@acme.test", "admin", PASS);
    for (const email of ["admin1@acme.test", "target1@acme.test"]) {
      const c = await login(email);
      expect(
        await failure(c.members.transferOwnership.mutate({ userId: target.id })),
      ).toMatchObject({ httpStatus: 403, reason: "FORBIDDEN_ROLE" });
    }
  });

  it("refuses self, invited, deactivated and malformed targets with a 400 and a message", async () => {
    const me = (await acme.client.auth.me.query()).user;
    const invited = await add("invited@acme.test");
    const gone = await add("gone@acme.test", "member", PASS);
    await acme.client.members.deactivate.mutate({ userId: gone.id });
    const cases: [string, RegExp][] = [
      [me.id, /already own/],
      [invited.id, /not accepted their invitation/],
      [gone.id, /deactivated/],
    ];
    for (const [userId, message] of cases) {
      const res = await failure(acme.client.members.transferOwnership.mutate({ userId }));
      expect(res).toMatchObject({ httpStatus: 400, reason: "INVALID_INPUT" });
      expect(res.message).toMatch(message);
    }
    expect(
      await failure(acme.client.members.transferOwnership.mutate({ userId: "nope" })),
    ).toMatchObject({ httpStatus: 400, code: "BAD_REQUEST" });
    expect(
      (await failure(acme.client.members.transferOwnership.mutate({ userId: "0".repeat(24) })))
        .httpStatus,
    ).toBe(404);
    expect((await acme.client.auth.me.query()).user.role).toBe("owner");
  });

  it("makes the target owner and the old owner admin, in db and directory, audited once", async () => {
    const owners = async () =>
      (await acme.client.members.list.query({ limit: 100 })).items.filter(
        (m) => m.role === "owner",
      );
    expect((await owners()).map((o) => o.email)).toEqual([acme.ownerEmail]);
    const heir = await add("heir@acme.test", "member", PASS);
    const res = await acme.client.members.transferOwnership.mutate({ userId: heir.id });
    expect(res).toMatchObject({
      newOwner: { id: heir.id, role: "owner" },
      previousOwner: { email: acme.ownerEmail, role: "admin" },
    });
    expect((await owners()).map((o) => o.email)).toEqual(["heir@acme.test"]);
    expect((await acme.client.auth.me.query()).user.role).toBe("admin");
    expect(await h.tenancy.directory.findByEmail("heir@acme.test")).toEqual([
      expect.objectContaining({ tenantSlug: "acme", role: "owner" }),
    ]);
    expect(await h.tenancy.directory.findByEmail(acme.ownerEmail)).toEqual([
      expect.objectContaining({ tenantSlug: "acme", role: "admin" }),
    ]);
    const audit = await acme.client.audit.list.query({ action: "members.transferOwnership" });
    expect(audit.items.map((a) => [a.target, a.actor.email])).toEqual([[heir.id, acme.ownerEmail]]);
    // The old owner, now admin, may no longer transfer; the new owner may leave only after handing on.
    expect(
      (await failure(acme.client.members.transferOwnership.mutate({ userId: heir.id }))).httpStatus,
    ).toBe(403);
    const heirClient = await login("heir@acme.test");
    expect((await failure(heirClient.members.leave.mutate())).reason).toBe("LAST_OWNER");
  });
});
