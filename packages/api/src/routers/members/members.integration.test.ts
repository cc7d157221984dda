import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../../test/api-harness";
import { appClient, failure, startHarness } from "../../../test/api-harness";

let h: Harness;
let acme: TenantFixture;
const login = async (email: string, password: string) => {
  const res = await appClient(h.url).auth.login.mutate({ email, password });
  if (res.status !== "ok") throw new Error("login failed");
  return appClient(h.url, res.accessToken ?? "");
};

beforeAll(async () => {
  h = await startHarness();
  acme = await h.tenant("acme");
});
afterAll(async () => h?.stop());

describe("members", () => {
  it("creates members with an initial password, lists them with search and pagination", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await acme.client.members.create.mutate({
        email: `m${i}@acme.test`,
        name: `Member ${i}`,
        role: "member",
        password: `Member-${i}-Pass-2026!`,
      });
      expect(res).toMatchObject({
        member: { email: `m${i}@acme.test`, role: "member", status: "active" },
        inviteUrl: null,
      });
    }
    const dup = await failure(
      acme.client.members.create.mutate({
        email: "M1@acme.test",
        name: "Dup",
        role: "member",
        password: "Another-Pass-2026!",
      }),
    );
    expect(dup).toMatchObject({ code: "CONFLICT", httpStatus: 409 });
    const weak = await failure(
      acme.client.members.create.mutate({
        email: "weak@acme.test",
        name: "W",
        role: "member",
        password: "password123",
      }),
    );
    expect(weak).toMatchObject({ code: "BAD_REQUEST", reason: "WEAK_PASSWORD" });

    const page1 = await acme.client.members.list.query({ limit: 4 });
    expect(page1.items).toHaveLength(4);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = await acme.client.members.list.query({
      limit: 4,
      cursor: page1.nextCursor ?? undefined,
    });
    expect(page2.items).toHaveLength(2);
    expect(page2.nextCursor).toBeNull();
    const all = [...page1.items, ...page2.items].map((m) => m.email);
    expect(new Set(all).size).toBe(6);
    const found = await acme.client.members.list.query({ search: "member 3" });
    expect(found.items.map((m) => m.email)).toEqual(["m3@acme.test"]);
    // Search text is literal, not a pattern.
    expect((await acme.client.members.list.query({ search: ".*" })).items).toEqual([]);
    // The directory learned the memberships (no secrets there).
    expect(await h.tenancy.directory.findByEmail("m2@acme.test")).toEqual([
      expect.objectContaining({ tenantSlug: "acme", role: "member" }),
    ]);
  });

  it("keeps members out of member administration", async () => {
    const member = await login("m0@acme.test", "Member-0-Pass-2026!");
    expect(await failure(member.members.list.query())).toMatchObject({
      code: "FORBIDDEN",
      reason: "FORBIDDEN_ROLE",
    });
    expect(
      (
        await failure(
          member.members.create.mutate({ email: "x@acme.test", name: "X", role: "admin" }),
        )
      ).reason,
    ).toBe("FORBIDDEN_ROLE");
    expect((await failure(member.settings.update.mutate({ displayName: "Hacked" }))).reason).toBe(
      "FORBIDDEN_ROLE",
    );
    expect((await failure(member.audit.list.query())).reason).toBe("FORBIDDEN_ROLE");
  });

  it("changes roles (read from the database at once), and an admin cannot touch owners", async () => {
    const list = await acme.client.members.list.query({ search: "m1@" });
    const m1 = list.items[0]?.id ?? "";
    const m1Client = await login("m1@acme.test", "Member-1-Pass-2026!");
    expect((await failure(m1Client.members.list.query())).reason).toBe("FORBIDDEN_ROLE");
    expect(
      (await acme.client.members.changeRole.mutate({ userId: m1, role: "admin" })).member.role,
    ).toBe("admin");
    // Same token, new role: the role comes from the tenant database, not the token.
    expect((await m1Client.members.list.query()).items.length).toBeGreaterThan(1);
    const ownerId =
      (await acme.client.members.list.query({ search: acme.ownerEmail })).items[0]?.id ?? "";
    expect(
      (await failure(m1Client.members.changeRole.mutate({ userId: ownerId, role: "member" })))
        .reason,
    ).toBe("FORBIDDEN_ROLE");
    expect(
      (await failure(m1Client.members.changeRole.mutate({ userId: m1, role: "owner" }))).reason,
    ).toBe("FORBIDDEN_ROLE");
    expect((await failure(m1Client.members.remove.mutate({ userId: ownerId }))).reason).toBe(
      "FORBIDDEN_ROLE",
    );
    expect(await h.tenancy.directory.findByEmail("m1@acme.test")).toEqual([
      expect.objectContaining({ role: "admin" }),
    ]);
  });

  it("never demotes, deactivates or removes the last owner", async () => {
    const ownerId =
      (await acme.client.members.list.query({ search: acme.ownerEmail })).items[0]?.id ?? "";
    for (const attempt of [
      () => acme.client.members.changeRole.mutate({ userId: ownerId, role: "admin" }),
      () => acme.client.members.deactivate.mutate({ userId: ownerId }),
      () => acme.client.members.remove.mutate({ userId: ownerId }),
    ]) {
      expect(await failure(attempt())).toMatchObject({
        code: "PRECONDITION_FAILED",
        reason: "LAST_OWNER",
        httpStatus: 412,
      });
    }
    // With a second owner the first may step down.
    const m4 = (await acme.client.members.list.query({ search: "m4@" })).items[0]?.id ?? "";
    await acme.client.members.changeRole.mutate({ userId: m4, role: "owner" });
    expect(
      (await acme.client.members.changeRole.mutate({ userId: ownerId, role: "admin" })).member.role,
    ).toBe("admin");
    const m4Client = await login("m4@acme.test", "Member-4-Pass-2026!");
    await m4Client.members.changeRole.mutate({ userId: ownerId, role: "owner" });
  });

  it("deactivates (sessions end at once), reactivates and removes a member", async () => {
    const m2 = (await acme.client.members.list.query({ search: "m2@" })).items[0]?.id ?? "";
    const m2Client = await login("m2@acme.test", "Member-2-Pass-2026!");
    await m2Client.notes.create.mutate({ title: "by m2", body: "", tags: [] });
    expect((await acme.client.members.deactivate.mutate({ userId: m2 })).member.status).toBe(
      "deactivated",
    );
    expect(await failure(m2Client.notes.list.query())).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "SESSION_REVOKED",
    });
    expect(
      (
        await failure(
          appClient(h.url).auth.login.mutate({
            email: "m2@acme.test",
            password: "Member-2-Pass-2026!",
          }),
        )
      ).reason,
    ).toBe("INVALID_CREDENTIALS");
    expect((await acme.client.members.reactivate.mutate({ userId: m2 })).member.status).toBe(
      "active",
    );
    await login("m2@acme.test", "Member-2-Pass-2026!");
    expect(await acme.client.members.remove.mutate({ userId: m2 })).toEqual({ ok: true });
    expect((await failure(acme.client.members.remove.mutate({ userId: m2 }))).code).toBe(
      "NOT_FOUND",
    );
    expect(await h.tenancy.directory.findByEmail("m2@acme.test")).toEqual([]);
    expect(
      (
        await failure(
          appClient(h.url).auth.login.mutate({
            email: "m2@acme.test",
            password: "Member-2-Pass-2026!",
          }),
        )
      ).reason,
    ).toBe("INVALID_CREDENTIALS");
  });
});

describe("settings and audit", () => {
  it("reads and updates display name and preferences, merging keys", async () => {
    expect(await acme.client.settings.get.query()).toMatchObject({ displayName: "Tenant acme" });
    await acme.client.settings.update.mutate({
      displayName: "Acme Corp",
      preferences: { theme: "dark", weekStartsOn: 1 },
    });
    const after = await acme.client.settings.update.mutate({ preferences: { locale: "en-GB" } });
    expect(after).toMatchObject({
      displayName: "Acme Corp",
      preferences: { theme: "dark", weekStartsOn: 1, locale: "en-GB" },
    });
    expect((await failure(acme.client.settings.update.mutate({ displayName: "" }))).code).toBe(
      "BAD_REQUEST",
    );
  });

  it("keeps the tenant's own audit log of member and settings changes", async () => {
    const log = await acme.client.audit.list.query({ limit: 100 });
    const actions = log.items.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "members.create",
        "members.changeRole",
        "members.deactivate",
        "members.reactivate",
        "members.remove",
        "settings.update",
        "auth.login",
      ]),
    );
    expect(log.items[0]?.actor.email).toBeTruthy();
    const onlyRoles = await acme.client.audit.list.query({ action: "members.changeRole" });
    expect(onlyRoles.items.every((a) => a.action === "members.changeRole")).toBe(true);
    const page = await acme.client.audit.list.query({ limit: 2 });
    const next = await acme.client.audit.list.query({
      limit: 2,
      cursor: page.nextCursor ?? undefined,
    });
    expect(next.items[0]?.id).not.toBe(page.items[0]?.id);
  });
});

describe("last owner under concurrency", () => {
  it("keeps one owner when two owners demote each other at the same moment", async () => {
    const t = await h.tenant("racers");
    await t.client.members.create.mutate({
      email: "second@racers.test",
      name: "Second",
      role: "owner",
      password: "Racing-Chief-2026-ok!",
    });
    const second = await login("second@racers.test", "Racing-Chief-2026-ok!");
    const ids = Object.fromEntries(
      (await t.client.members.list.query()).items.map((m) => [m.email, m.id]),
    );
    const results = await Promise.allSettled([
      t.client.members.deactivate.mutate({ userId: ids["second@racers.test"] ?? "" }),
      second.members.deactivate.mutate({ userId: ids[t.ownerEmail] ?? "" }),
    ]);
    const owners = await h.tenancy.withTenant(t.id, ({ models }) =>
      models.User.countDocuments({ role: "owner", status: "active" }),
    );
    expect(owners).toBeGreaterThanOrEqual(1);
    expect(results.some((r) => r.status === "rejected")).toBe(true);
  });
});
