// Audit informational findings, decided (issue 13 item 11):
// - soft delete ends the tenant's sessions, as suspend does, and a restore does not revive them;
// - impersonation is read-only unless the super admin asks for write access with a reason (audited);
// - notes writes are in the tenant audit log, naming the impersonating admin when there is one;
// - a sign-in admitted just before a suspension leaves no session alive after resume.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Stack, TenantSeed } from "./api-stack";
import { ADMIN, OWNER_PASSWORD, startStack } from "./api-stack";

let s: Stack;
let seed: TenantSeed;
beforeAll(async () => {
  s = await startStack({ tenants: 1 });
  seed = s.tenants[0] as TenantSeed;
}, 120_000);
afterAll(async () => s?.stop());

const settle = () => new Promise((r) => setTimeout(r, 800)); // every registry has seen the change
const admin = (path: string, input: unknown) =>
  s.apiCall("admin", "mutation", path, input, { token: s.adminToken });

async function signIn(): Promise<{ accessToken: string; refreshToken: string }> {
  const r = await s.apiCall("app", "mutation", "auth.login", {
    email: seed.email,
    password: OWNER_PASSWORD,
  });
  expect(r.ok).toBe(true);
  return r.data as { accessToken: string; refreshToken: string };
}

async function expectDead(t: { accessToken: string; refreshToken: string }) {
  const me = await s.apiCall("app", "query", "auth.me", undefined, { token: t.accessToken });
  expect(me.code).toBe("UNAUTHORIZED");
  const refreshed = await s.apiCall("app", "mutation", "auth.refresh", {
    refreshToken: t.refreshToken,
  });
  expect(refreshed.ok).toBe(false);
}

describe("soft delete", () => {
  it("ends every session, and a restore does not bring them back", async () => {
    const tokens = await signIn();
    expect((await admin("tenants.delete", { id: seed.id })).ok).toBe(true);
    expect((await admin("tenants.restore", { id: seed.id })).ok).toBe(true);
    await settle();
    await expectDead(tokens);
    // Signing in again works.
    await signIn();
  });
});

describe("a sign-in admitted just before a suspension", () => {
  it("leaves no session alive after resume", async () => {
    const tokens = await signIn();
    expect((await admin("tenants.suspend", { id: seed.id, reason: "race check" })).ok).toBe(true);
    // What that sign-in leaves behind: its session row written after the suspension's sweep,
    // i.e. still live (the suspension's revocation had already run).
    await s.tenancy.withTenant(
      seed.id,
      ({ models }) => models.Session.updateMany({}, { $set: { revokedAt: null } }),
      { allowInactive: true },
    );
    expect((await admin("tenants.resume", { id: seed.id })).ok).toBe(true);
    await settle();
    await expectDead(tokens);
  });
});

describe("impersonation", () => {
  const start = async (extra: Record<string, unknown> = {}) => {
    const r = await admin("impersonate.start", {
      tenantId: seed.id,
      userEmail: seed.email,
      reason: "support ticket 7",
      ...extra,
    });
    expect(r.ok).toBe(true);
    return r.data as { accessToken: string; access: string };
  };
  const createNote = (token: string, title: string) =>
    s.apiCall("app", "mutation", "notes.create", { title, body: "", tags: [] }, { token });

  it("is read-only by default: reads work, every write is refused", async () => {
    const imp = await start();
    expect(imp.access).toBe("read");
    expect((await s.apiCall("app", "query", "notes.list", {}, { token: imp.accessToken })).ok).toBe(
      true,
    );
    const write = await createNote(imp.accessToken, "should not exist");
    expect(write.status).toBe(403);
    expect(write.reason).toBe("IMPERSONATION_READ_ONLY");
  });

  it("writes with write access asked for with a reason; both reasons are audited", async () => {
    const imp = await start({ writeAccess: { reason: "fix the customer's broken note" } });
    expect(imp.access).toBe("write");
    expect((await createNote(imp.accessToken, "fixed by support")).ok).toBe(true);
    const log = await s.apiCall(
      "admin",
      "query",
      "audit.list",
      { action: "impersonate.start" },
      { token: s.adminToken },
    );
    expect(JSON.stringify(log.data)).toContain("fix the customer's broken note");
    expect(
      (
        await admin("impersonate.start", {
          tenantId: seed.id,
          userEmail: seed.email,
          reason: "x y z",
          writeAccess: {},
        })
      ).status,
    ).toBe(400);
  });
});

describe("notes writes", () => {
  it("are in the tenant audit log, with the impersonator when there is one", async () => {
    const own = await signIn();
    const created = await s.apiCall(
      "app",
      "mutation",
      "notes.create",
      { title: "mine", body: "", tags: [] },
      { token: own.accessToken },
    );
    const id = (created.data as { id: string }).id;
    await s.apiCall(
      "app",
      "mutation",
      "notes.update",
      { id, title: "mine, edited" },
      { token: own.accessToken },
    );
    await s.apiCall("app", "mutation", "notes.delete", { id }, { token: own.accessToken });
    const entries = async (action: string) => {
      const r = await s.apiCall(
        "app",
        "query",
        "audit.list",
        { action, limit: 50 },
        { token: own.accessToken },
      );
      return (
        r.data as {
          items: {
            target: string | null;
            actor: { email: string };
            impersonatedBy: string | null;
          }[];
        }
      ).items;
    };
    for (const action of ["notes.create", "notes.update", "notes.delete"]) {
      const mine = (await entries(action)).find((e) => e.target === id);
      expect(mine, action).toMatchObject({ actor: { email: seed.email }, impersonatedBy: null });
    }
    // The note written under impersonation (previous test) names the admin.
    const byAdmin = (await entries("notes.create")).find((e) => e.impersonatedBy !== null);
    expect(byAdmin).toMatchObject({ actor: { email: seed.email }, impersonatedBy: ADMIN.email });
  });
});
