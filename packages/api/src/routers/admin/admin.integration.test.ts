import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness, TenantFixture } from "../../../test/api-harness";
import {
  ADMIN,
  OWNER_PASSWORD,
  adminClient,
  appClient,
  failure,
  startHarness,
  startInstance,
  signedIn,
} from "../../../test/api-harness";

let h: Harness;
let acme: TenantFixture;

beforeAll(async () => {
  h = await startHarness({ exportDir: await mkdtemp(join(tmpdir(), "tenantry-export-")) });
  acme = await h.tenant("acme");
  await h.tenant("globex");
  await h.tenant("initech");
});
afterAll(async () => h?.stop());

describe("admin auth", () => {
  it("is a separate identity with its own refresh rotation and logout", async () => {
    const anon = adminClient(h.url);
    expect(
      (await failure(anon.auth.login.mutate({ email: ADMIN.email, password: "wrong-password-1" })))
        .reason,
    ).toBe("INVALID_CREDENTIALS");
    expect(
      (
        await failure(
          anon.auth.login.mutate({ email: "nobody@tenantry.test", password: "wrong-password-1" }),
        )
      ).reason,
    ).toBe("INVALID_CREDENTIALS");
    // A tenant owner's credentials are no good here.
    expect(
      (await failure(anon.auth.login.mutate({ email: acme.ownerEmail, password: OWNER_PASSWORD })))
        .reason,
    ).toBe("INVALID_CREDENTIALS");
    const res = await signedIn(anon.auth.login.mutate(ADMIN));
    expect(res.admin.email).toBe(ADMIN.email);
    const me = await adminClient(h.url, res.accessToken ?? "").auth.me.query();
    expect(me.admin.email).toBe(ADMIN.email);
    const r1 = await anon.auth.refresh.mutate({ refreshToken: res.refreshToken ?? "" });
    expect(
      (await failure(anon.auth.refresh.mutate({ refreshToken: res.refreshToken ?? "" }))).reason,
    ).toBe("REFRESH_REUSED");
    expect((await failure(adminClient(h.url, r1.accessToken ?? "").auth.me.query())).reason).toBe(
      "SESSION_REVOKED",
    );
    const again = await signedIn(anon.auth.login.mutate(ADMIN));
    await adminClient(h.url, again.accessToken ?? "").auth.logout.mutate({});
    expect(
      (await failure(adminClient(h.url, again.accessToken ?? "").tenants.list.query())).reason,
    ).toBe("SESSION_REVOKED");
    expect((await failure(anon.tenants.list.query())).code).toBe("UNAUTHORIZED");
  });

  it("adds a super admin under the one password policy, and disables one but never the last", async () => {
    const weak = await failure(
      h.admin.admins.create.mutate({ email: "ops@tenantry.test", name: "Ops", password: "short" }),
    );
    expect([weak.httpStatus, weak.reason]).toEqual([400, "WEAK_PASSWORD"]);
    const password = "second-admin-pass-1";
    const added = await h.admin.admins.create.mutate({
      email: "ops@tenantry.test",
      name: "Ops",
      password,
    });
    expect(added).toEqual({
      id: expect.any(String),
      email: "ops@tenantry.test",
      name: "Ops",
      status: "active",
    });
    const listed = await h.admin.admins.list.query();
    expect(listed.map((a) => [a.email, a.status, a.you])).toEqual([
      [ADMIN.email, "active", true],
      ["ops@tenantry.test", "active", false],
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/argon2|passwordHash/);

    // The new admin signs in; disabling them ends that session on its next call.
    const ops = await signedIn(
      adminClient(h.url).auth.login.mutate({ email: "ops@tenantry.test", password }),
    );
    const opsClient = adminClient(h.url, ops.accessToken ?? "");
    await opsClient.tenants.list.query();
    const disabled = await h.admin.admins.disable.mutate({ email: "OPS@tenantry.test" });
    expect(disabled.status).toBe("disabled");
    expect((await failure(opsClient.tenants.list.query())).reason).toBe("SESSION_REVOKED");
    expect(
      (
        await failure(
          adminClient(h.url).auth.login.mutate({ email: "ops@tenantry.test", password }),
        )
      ).reason,
    ).toBe("INVALID_CREDENTIALS");

    // The one active admin left can't be disabled, so the platform always has someone to run it.
    const last = await failure(h.admin.admins.disable.mutate({ email: ADMIN.email }));
    expect([last.httpStatus, last.message]).toEqual([
      400,
      "The last active super admin cannot be disabled",
    ]);
    const unknown = await failure(h.admin.admins.disable.mutate({ email: "nobody@tenantry.test" }));
    expect(unknown.httpStatus).toBe(404);
    const audit = await h.admin.audit.list.query({ action: "admin.disabled" });
    expect(audit.items[0]).toMatchObject({
      target: "ops@tenantry.test",
      actor: { email: ADMIN.email },
    });
  });
});

describe("tenants", () => {
  it("lists with search, status filter, sort and pagination", async () => {
    const all = await h.admin.tenants.list.query({ sort: "slug" });
    expect(all.items.map((t) => t.slug)).toEqual(["acme", "globex", "initech"]);
    expect(all.total).toBe(3);
    const desc = await h.admin.tenants.list.query({ sort: "-slug", limit: 2, page: 1 });
    expect(desc.items.map((t) => t.slug)).toEqual(["initech", "globex"]);
    expect(desc.pages).toBe(2);
    expect(
      (await h.admin.tenants.list.query({ sort: "-slug", limit: 2, page: 2 })).items.map(
        (t) => t.slug,
      ),
    ).toEqual(["acme"]);
    expect((await h.admin.tenants.list.query({ search: "GLOB" })).items.map((t) => t.slug)).toEqual(
      ["globex"],
    );
    expect((await h.admin.tenants.list.query({ status: "suspended" })).items).toEqual([]);
  });

  it("creates (provisions) a tenant and refuses a taken slug, a bad slug or a weak owner password", async () => {
    const t = await h.admin.tenants.create.mutate({
      slug: "umbrella",
      name: "Umbrella",
      owner: { email: "boss@umbrella.test", name: "Boss", password: "Umbrella-Pass-2026!" },
    });
    expect(t).toMatchObject({ slug: "umbrella", status: "active" });
    expect(
      (
        await appClient(h.url).auth.login.mutate({
          email: "boss@umbrella.test",
          password: "Umbrella-Pass-2026!",
        })
      ).status,
    ).toBe("ok");
    expect(
      await failure(
        h.admin.tenants.create.mutate({
          slug: "umbrella",
          name: "Again",
          owner: { email: "x@y.test", name: "X", password: "Umbrella-Pass-2026!" },
        }),
      ),
    ).toMatchObject({
      code: "CONFLICT",
      reason: "SLUG_TAKEN",
    });
    expect(
      (
        await failure(
          h.admin.tenants.create.mutate({
            slug: "Bad Slug",
            name: "x",
            owner: { email: "x@y.test", name: "X", password: "Umbrella-Pass-2026!" },
          }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
    expect(
      (
        await failure(
          h.admin.tenants.create.mutate({
            slug: "weakling",
            name: "x",
            owner: { email: "x@y.test", name: "X", password: "12345678" },
          }),
        )
      ).reason,
    ).toBe("WEAK_PASSWORD");
    expect((await h.admin.tenants.list.query({ search: "weakling" })).total).toBe(0);
  });

  it("shows a tenant with stats", async () => {
    await acme.client.notes.create.mutate({ title: "one", body: "", tags: [] });
    const t = await h.admin.tenants.get.query({ id: acme.id });
    expect(t).toMatchObject({ slug: "acme", status: "active", cached: true, leasedNow: 0 });
    expect(t.stats).toMatchObject({ users: 1, notes: 1 });
    expect(t.stats?.lastActivityAt).toBeInstanceOf(Date);
    expect((await failure(h.admin.tenants.get.query({ id: "0".repeat(24) }))).reason).toBe(
      "TENANT_NOT_FOUND",
    );
  });

  it("suspends with a reason, resumes, soft-deletes, restores and purges with confirmation", async () => {
    const initech = (await h.admin.tenants.list.query({ search: "initech" })).items[0];
    const id = initech?.id ?? "";
    expect((await h.admin.tenants.suspend.mutate({ id, reason: "abuse report" })).status).toBe(
      "suspended",
    );
    const suspended = await h.admin.tenants.get.query({ id });
    expect(suspended.statusReason).toBe("abuse report");
    // The dashboard still shows a suspended tenant's figures (the owner exists in its database).
    expect(suspended.stats?.users).toBeGreaterThanOrEqual(1);
    expect(
      (await h.admin.tenants.list.query({ status: "suspended" })).items.map((t) => t.slug),
    ).toEqual(["initech"]);
    expect((await h.admin.tenants.resume.mutate({ id })).status).toBe("active");
    expect((await failure(h.admin.tenants.resume.mutate({ id }))).code).toBe("BAD_REQUEST");
    expect((await h.admin.tenants.delete.mutate({ id })).status).toBe("deleted");
    expect((await h.admin.tenants.get.query({ id })).stats?.users).toBeGreaterThanOrEqual(1);
    expect(
      (
        await failure(
          appClient(h.url).auth.login.mutate({
            email: "owner@initech.test",
            password: OWNER_PASSWORD,
          }),
        )
      ).reason,
    ).toBe("TENANT_DELETED");
    expect((await h.admin.tenants.restore.mutate({ id })).status).toBe("active");
    await h.admin.tenants.delete.mutate({ id });
    expect((await failure(h.admin.tenants.purge.mutate({ id, confirmSlug: "acme" }))).code).toBe(
      "BAD_REQUEST",
    );
    expect((await h.admin.tenants.purge.mutate({ id, confirmSlug: "initech" })).status).toBe(
      "purged",
    );
  });

  it("migrates one tenant and all tenants with progress, and exports one", async () => {
    const one = await h.admin.tenants.migrate.mutate({ id: acme.id });
    expect(one.tenant.schemaVersion).toBeGreaterThan(0);
    const { jobId } = await h.admin.tenants.migrateAll.mutate();
    let status = await h.admin.tenants.migrationStatus.query({ jobId });
    for (let i = 0; i < 100 && !status.done; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await h.admin.tenants.migrationStatus.query({ jobId });
    }
    expect(status.done).toBe(true);
    expect(status.error).toBeNull();
    expect(Object.keys(status.progress).length).toBeGreaterThan(0);
    const exported = await h.admin.tenants.export.mutate({ id: acme.id });
    expect(exported.fileName).toMatch(/^acme-.*\.tenantry-export$/);
    expect(exported).not.toHaveProperty("file"); // no server path in an answer
    expect(exported.sizeBytes).toBeGreaterThan(0);
    expect(exported.archiveBase64).toBeNull();
    const inline = await h.admin.tenants.export.mutate({ id: acme.id, inline: true });
    expect(Buffer.from(inline.archiveBase64 ?? "", "base64").length).toBe(inline.sizeBytes);
    expect(inline.fileName).toMatch(/^acme-.*\.tenantry-export$/);
  });
});

describe("migrateAll across instances", () => {
  it("a run queued on an instance that runs no jobs is run by another; both read its stored progress", async () => {
    const quiet = await startInstance(h.uri, h.controlDbName, { runJobs: false });
    try {
      expect(quiet.tenancy.jobs.running).toBe(false);
      const onQuiet = adminClient(quiet.url, h.adminToken);
      const { jobId, alreadyRunning } = await onQuiet.tenants.migrateAll.mutate();
      expect(alreadyRunning).toBe(false);
      let status = await onQuiet.tenants.migrationStatus.query({ jobId });
      for (let i = 0; i < 200 && !status.done; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = await onQuiet.tenants.migrationStatus.query({ jobId });
      }
      expect(status).toMatchObject({ status: "finished", done: true, error: null });
      expect(status.progress).toMatchObject({ failed: [] });
      // The instance that ran it answers with the same stored run.
      expect(await h.admin.tenants.migrationStatus.query({ jobId })).toEqual(status);
      const audit = await h.admin.audit.list.query({ action: "tenant.migrateAll.started" });
      expect(audit.items.some((e) => e.details.runId === jobId)).toBe(true);
      const missing = await failure(
        onQuiet.tenants.migrationStatus.query({ jobId: "00000000-0000-4000-8000-000000000000" }),
      );
      expect(missing.code).toBe("NOT_FOUND");
    } finally {
      await quiet.close();
    }
  });
});

describe("dedicated pools", () => {
  it("promotes a busy tenant to a pool of its own and back, without interrupting it", async () => {
    const before = await h.admin.tenants.get.query({ id: acme.id });
    const dedicated = await h.admin.tenants.dedicatePool.mutate({ id: acme.id });
    expect(dedicated.cluster).not.toBe(before.cluster);
    expect((await acme.client.notes.list.query()).items.length).toBeGreaterThan(0);
    const released = await h.admin.tenants.releasePool.mutate({ id: acme.id });
    expect(released.cluster).toBe(before.cluster);
    expect((await acme.client.notes.list.query()).items.length).toBeGreaterThan(0);
  });
});

describe("clusters, system, audit, impersonation", () => {
  it("lists clusters with health and adds one, never returning a URI", async () => {
    const before = await h.admin.clusters.list.query();
    expect(before).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "default", healthy: true })]),
    );
    await h.admin.clusters.add.mutate({ name: "second", uri: `${h.uri.replace(/\/$/, "")}` });
    const after = await h.admin.clusters.list.query();
    expect(after.map((c) => c.name)).toEqual(expect.arrayContaining(["default", "second"]));
    expect(JSON.stringify(after)).not.toContain("mongodb://");
    expect(
      (await failure(h.admin.clusters.add.mutate({ name: "bad", uri: "http://nope" }))).code,
    ).toBe("BAD_REQUEST");
  });

  it("reports pool stats and instance info", async () => {
    const stats = await h.admin.system.stats.query();
    expect(stats.pool).toMatchObject({
      handles: expect.any(Number),
      leases: expect.any(Number),
      hits: expect.any(Number),
      openClients: expect.any(Number),
    });
    const info = await h.admin.system.info.query();
    expect(info).toMatchObject({
      pid: process.pid,
      node: process.version,
      instanceId: expect.any(String),
    });
  });

  it("records every admin action in the control audit log", async () => {
    const log = await h.admin.audit.list.query({ limit: 100 });
    const actions = log.items.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "tenant.provisioned",
        "tenant.suspended",
        "tenant.resumed",
        "tenant.purged",
        "cluster.added",
        "admin.login",
      ]),
    );
    // Written once, by the tenancy use case, under one name: no second api-named entry.
    expect(actions.filter((a) => a.startsWith("tenants."))).toEqual([]);
    expect(log.items.filter((a) => a.action === "tenant.suspended")).toHaveLength(
      new Set(log.items.filter((a) => a.action === "tenant.suspended").map((a) => a.tenantId)).size,
    );
    const forAcme = await h.admin.audit.list.query({ tenantId: acme.id });
    expect(forAcme.items.length).toBeGreaterThan(0);
    expect(forAcme.items.every((a) => a.tenantId === acme.id)).toBe(true);
    const byActor = await h.admin.audit.list.query({
      actor: ADMIN.email,
      action: "tenant.provisioned",
    });
    expect(byActor.items.length).toBeGreaterThan(0);
    expect(
      byActor.items.every(
        (a) => a.actor.email === ADMIN.email && a.action === "tenant.provisioned",
      ),
    ).toBe(true);
  });

  it("impersonates a named user with a short-lived, marked, audited token", async () => {
    const imp = await h.admin.impersonate.start.mutate({
      tenantId: acme.id,
      userEmail: acme.ownerEmail,
      reason: "support ticket 42",
      // Impersonation is read-only unless asked for (issue 13): this one writes a note below.
      writeAccess: { reason: "reproduce the customer's note bug" },
    });
    expect(imp.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000 + 1000);
    const claims = JSON.parse(
      Buffer.from(imp.accessToken.split(".")[1] ?? "", "base64url").toString(),
    ) as { imp?: { adminEmail: string } };
    expect(claims.imp?.adminEmail).toBe(ADMIN.email);
    const asUser = appClient(h.url, imp.accessToken);
    const me = await asUser.auth.me.query();
    expect(me.impersonatedBy).toEqual({ adminEmail: ADMIN.email });
    await asUser.notes.create.mutate({ title: "made during support", body: "", tags: [] });
    expect(
      (
        await failure(
          asUser.auth.changePassword.mutate({
            currentPassword: OWNER_PASSWORD,
            newPassword: "Whatever-2026-Pass!",
          }),
        )
      ).reason,
    ).toBe("IMPERSONATION_READ_ONLY");
    const tenantLog = await acme.client.audit.list.query({ action: "impersonation.start" });
    expect(tenantLog.items[0]).toMatchObject({
      impersonatedBy: ADMIN.email,
      details: { reason: "support ticket 42" },
    });
    const adminLog = await h.admin.audit.list.query({ action: "impersonate.start" });
    expect(adminLog.items[0]).toMatchObject({ target: acme.ownerEmail, tenantId: acme.id });
    expect(
      (
        await failure(
          h.admin.impersonate.start.mutate({
            tenantId: acme.id,
            userEmail: "ghost@acme.test",
            reason: "nope",
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
  });
});

describe("a tenant's members, its name and the audit filter by slug or name", () => {
  it("lists owners and members without any password field, suspended too, purged as empty", async () => {
    const wayne = await h.tenant("wayne");
    await wayne.client.members.create.mutate({
      email: "ada@wayne.test",
      name: "Ada Member",
      role: "admin",
      password: "Another-Good-Passw0rd!",
    });
    await wayne.client.members.create.mutate({
      email: "ivy@wayne.test",
      name: "Ivy Invited",
      role: "member",
    });
    const roster = await h.admin.tenants.members.query({ id: wayne.id });
    expect(roster.unavailable).toBeNull();
    expect(roster.total).toBe(3);
    expect(roster.owners.map((o) => o.email)).toEqual([wayne.ownerEmail]);
    expect(roster.members.map((m) => [m.email, m.role, m.status])).toEqual([
      [wayne.ownerEmail, "owner", "active"],
      ["ada@wayne.test", "admin", "active"],
      ["ivy@wayne.test", "member", "invited"],
    ]);
    // Not a hash, not a field that would hold one, anywhere in the answer.
    const text = JSON.stringify(roster);
    expect(text).not.toMatch(/password|hash|argon/i);
    for (const m of [...roster.owners, ...roster.members])
      expect(Object.keys(m).sort()).toEqual(
        ["createdAt", "email", "id", "lastLoginAt", "name", "role", "status"].sort(),
      );
    const active = await h.admin.tenants.members.query({ id: wayne.id, status: "active" });
    expect(active.members.map((m) => m.email)).toEqual([wayne.ownerEmail, "ada@wayne.test"]);
    expect((await h.admin.tenants.members.query({ id: wayne.id, limit: 1 })).members).toHaveLength(
      1,
    );

    await h.admin.tenants.suspend.mutate({ id: wayne.id, reason: "unpaid invoice" });
    expect((await h.admin.tenants.members.query({ id: wayne.id })).total).toBe(3);
    await h.admin.tenants.delete.mutate({ id: wayne.id });
    await h.admin.tenants.purge.mutate({ id: wayne.id, confirmSlug: "wayne" });
    expect(await h.admin.tenants.members.query({ id: wayne.id })).toEqual({
      owners: [],
      members: [],
      total: 0,
      unavailable: "purged",
    });
    expect((await failure(h.admin.tenants.members.query({ id: "0".repeat(24) }))).reason).toBe(
      "TENANT_NOT_FOUND",
    );
  });

  it("renames a tenant with one audit entry, refusing a bad name and a purged tenant", async () => {
    const hooli = await h.tenant("hooli");
    // A second instance with the tenant in its registry cache sees the new name without a restart.
    const other = await startInstance(h.uri, h.controlDbName);
    try {
      expect((await other.tenancy.registry.get(hooli.id)).name).toBe("Tenant hooli");
      const renamed = await h.admin.tenants.rename.mutate({ id: hooli.id, name: "  Hooli XYZ  " });
      expect(renamed).toMatchObject({ id: hooli.id, slug: "hooli", name: "Hooli XYZ" });
      await expect
        .poll(async () => (await other.tenancy.registry.get(hooli.id)).name, { timeout: 5000 })
        .toBe("Hooli XYZ");
    } finally {
      await other.close();
    }
    expect((await h.admin.tenants.get.query({ id: hooli.id })).name).toBe("Hooli XYZ");
    // The tenant app names the organisation anew for its members.
    expect((await hooli.client.auth.me.query()).memberships).toEqual([
      expect.objectContaining({ slug: "hooli", name: "Hooli XYZ" }),
    ]);
    const log = await h.admin.audit.list.query({ action: "tenant.renamed", tenantId: hooli.id });
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      tenantSlug: "hooli",
      actor: { email: ADMIN.email },
      details: { from: "Tenant hooli", to: "Hooli XYZ" },
    });
    // The same name again changes nothing and writes nothing.
    await h.admin.tenants.rename.mutate({ id: hooli.id, name: "Hooli XYZ" });
    expect(
      (await h.admin.audit.list.query({ action: "tenant.renamed", tenantId: hooli.id })).items,
    ).toHaveLength(1);

    for (const name of ["", "   ", "x".repeat(101)]) {
      const bad = await failure(h.admin.tenants.rename.mutate({ id: hooli.id, name }));
      expect([bad.httpStatus, bad.reason]).toEqual([400, "INVALID_INPUT"]);
    }
    expect((await h.admin.tenants.get.query({ id: hooli.id })).name).toBe("Hooli XYZ");

    await h.admin.tenants.delete.mutate({ id: hooli.id });
    await h.admin.tenants.purge.mutate({ id: hooli.id, confirmSlug: "hooli" });
    const purged = await failure(h.admin.tenants.rename.mutate({ id: hooli.id, name: "Ghost" }));
    expect([purged.httpStatus, purged.reason]).toEqual([403, "TENANT_DELETED"]);
    expect(
      (await failure(h.admin.tenants.rename.mutate({ id: "0".repeat(24), name: "Nobody" }))).reason,
    ).toBe("TENANT_NOT_FOUND");
    expect(
      (await h.admin.audit.list.query({ action: "tenant.renamed", tenantId: hooli.id })).items,
    ).toHaveLength(1);
  });

  it("filters the audit log by slug, by name prefix or by id, any case", async () => {
    const vandelay = await h.tenant("vandelay");
    await h.admin.tenants.rename.mutate({ id: vandelay.id, name: "Vandelay Industries" });
    const only = (items: { tenantId: string | null }[]) =>
      items.every((a) => a.tenantId === vandelay.id);
    const bySlug = await h.admin.audit.list.query({ tenant: "VANDELAY" });
    expect(bySlug.items.map((a) => a.action)).toEqual(
      expect.arrayContaining(["tenant.provisioned", "tenant.renamed"]),
    );
    expect(only(bySlug.items)).toBe(true);
    const byName = await h.admin.audit.list.query({ tenant: "vandelay ind" });
    expect(byName.items.map((a) => a.id)).toEqual(bySlug.items.map((a) => a.id));
    const byId = await h.admin.audit.list.query({ tenant: vandelay.id });
    expect(byId.items.map((a) => a.id)).toEqual(bySlug.items.map((a) => a.id));
    expect(
      (await h.admin.audit.list.query({ tenant: "vandelay", action: "tenant.renamed" })).items,
    ).toHaveLength(1);
    // Neither a whole slug nor the start of a name: nothing, and not an error.
    expect((await h.admin.audit.list.query({ tenant: "andelay" })).items).toEqual([]);
    expect((await h.admin.audit.list.query({ tenant: "no-such-org" })).items).toEqual([]);
    // A purged tenant is still found by the slug it had.
    const purgedLog = await h.admin.audit.list.query({ tenant: "hooli" });
    expect(purgedLog.items.map((a) => a.action)).toEqual(
      expect.arrayContaining(["tenant.renamed", "tenant.purged"]),
    );
  });
});
