// Runs the real `tenantry` binary as a child process against a real server (embedded-mongo
// started here, or TEST_MONGODB_URI), and checks what an operator sees: output, exit codes and
// the databases afterwards (read back through @tenantry/tenancy, as the API would).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { startMailCatcher, startTestDatabase, totpCode } from "@tenantry/test-kit";
import type { TestDatabase } from "@tenantry/test-kit";
import type { ModulesModels, Tenancy } from "@tenantry/tenancy";
import { createTenancy, parseApiKey } from "@tenantry/tenancy";
import { passwordWeakness } from "@tenantry/tenancy/policies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlModelsOf } from "@tenantry/tenancy/testing";
import { APP_MODULES } from "@tenantry/api/app-modules";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/tenantry.js");
const KEY = randomBytes(32).toString("base64");
const CONTROL_DB = `cli_${randomBytes(4).toString("hex")}`;
const PASSWORD = "correct horse battery";

let uri = "";
let stopServer: () => Promise<void> = async () => undefined;
let second: TestDatabase | undefined;
let tenancy: Tenancy<ModulesModels<typeof APP_MODULES>>;
let work: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(
  args: string[],
  opts: { env?: Record<string, string | undefined>; input?: string } = {},
): Promise<Run> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    MONGODB_URI: uri,
    ENCRYPTION_KEY: KEY,
    TENANTRY_CONTROL_DB: CONTROL_DB,
    ...opts.env,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      cwd: work,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}

async function json<T = Record<string, unknown>>(
  args: string[],
  opts?: Parameters<typeof cli>[1],
): Promise<T> {
  const run = await cli([...args, "--json"], opts);
  if (run.code !== 0)
    throw new Error(`tenantry ${args.join(" ")} exited ${run.code}: ${run.stdout}${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

interface ListedTenant {
  id: string;
  slug: string;
  status: string;
  reason: string | null;
  cluster: string;
}

const listed = async (extra: string[] = []) =>
  (await json<{ tenants: ListedTenant[] }>(["tenants", "list", ...extra])).tenants;

async function createTenant(slug: string, extra: string[] = []): Promise<ListedTenant> {
  const out = await json<{ tenant: ListedTenant }>([
    "tenants",
    "create",
    "--slug",
    slug,
    "--name",
    `Tenant ${slug}`,
    "--owner-email",
    `owner@${slug}.test`,
    "--owner-name",
    "Owner",
    "--owner-password",
    PASSWORD,
    ...extra,
  ]);
  return out.tenant;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "tenantry-cli-"));
  const server = await startTestDatabase();
  uri = server.uri;
  stopServer = () => server.stop();
  tenancy = await createTenancy({
    modules: APP_MODULES,
    controlUri: uri,
    controlDbName: CONTROL_DB,
    encryptionKey: KEY,
    registryRefreshMs: 100,
  });
});

afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 2000 });
  await second?.stop();
  await stopServer();
  rmSync(work, { recursive: true, force: true });
});

describe("tenant lifecycle through the CLI", () => {
  it("creates a tenant that list --json shows as active, with a working owner login", async () => {
    const created = await createTenant("acme");
    expect(created).toMatchObject({ slug: "acme", status: "active", cluster: "default" });
    const tenants = await listed();
    expect(tenants.map((t) => t.slug)).toContain("acme");
    expect(tenants.find((t) => t.slug === "acme")?.status).toBe("active");
    // The owner can authenticate against the tenant's own database, as login would.
    const ok = await tenancy.withTenant(created.id, async ({ models }) => {
      const user = await models.User.findOne({ email: "owner@acme.test" }).lean();
      return user?.passwordHash ? tenancy.passwords.verify(user.passwordHash, PASSWORD) : false;
    });
    expect(ok).toBe(true);
  });

  it("prints a readable table without --json", async () => {
    const run = await cli(["tenants", "list"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^SLUG\s+NAME\s+STATUS/);
    expect(run.stdout).toMatch(/acme\s+Tenant acme\s+active/);
    // Not a terminal: no progress bar escape codes anywhere.
    expect(run.stderr).not.toContain("\x1b[");
  });

  it("shows one tenant by slug with its owner and members", async () => {
    const shown = await json<{ tenant: ListedTenant; members: { email: string; role: string }[] }>([
      "tenants",
      "show",
      "acme",
    ]);
    expect(shown.tenant).toMatchObject({ slug: "acme", status: "active" });
    expect(shown.members).toContainEqual({ email: "owner@acme.test", role: "owner" });
    const human = await cli(["tenants", "show", "acme"]);
    expect(human.stdout).toMatch(/owners\s+owner@acme\.test/);
    expect((await cli(["tenants", "show", "no-such-tenant"])).code).toBe(3);
  });

  it("emails a tenant's owner a reset link with a reason (audited); without SMTP_URL it says so", async () => {
    const unset = await cli(["tenants", "send-owner-reset", "acme", "--reason", "lost access"]);
    expect(unset.code).not.toBe(0);
    expect(unset.stderr).toContain("Email is not configured (set SMTP_URL)");

    const mail = await startMailCatcher();
    try {
      const sent = await json<{ sentTo: string[] }>(
        ["tenants", "send-owner-reset", "acme", "--reason", "lost access, ticket 12"],
        { env: { SMTP_URL: mail.smtpUrl, WEB_URL: "https://app.example.test" } },
      );
      expect(sent.sentTo).toEqual(["owner@acme.test"]);
      const message = await mail.waitForMessage("owner@acme.test");
      expect(message.subject).toBe("Reset your Tenant acme password");
      expect(message.text).toContain("https://app.example.test/reset-password#token=");
      const audit = await tenancy.audit.list({ action: "tenant.ownerResetSent" });
      expect(audit.items[0]).toMatchObject({
        actor: { type: "cli" },
        tenantSlug: "acme",
        details: { reason: "lost access, ticket 12", emails: ["owner@acme.test"] },
      });
    } finally {
      await mail.stop();
    }
  });

  it("suspends with a reason (the API refuses the tenant) and resumes", async () => {
    const suspended = await json<{ tenant: ListedTenant; sessionsRevoked: number | null }>([
      "tenants",
      "suspend",
      "acme",
      "--reason",
      "unpaid invoice",
    ]);
    expect(suspended.tenant).toMatchObject({ status: "suspended", reason: "unpaid invoice" });
    expect((await listed()).find((t) => t.slug === "acme")).toMatchObject({
      status: "suspended",
      reason: "unpaid invoice",
    });
    const id = suspended.tenant.id;
    // What every API instance sees within its refresh interval.
    await expect
      .poll(
        () => tenancy.withTenant(id, async () => "served").catch((e: { code?: string }) => e.code),
        { timeout: 2000 },
      )
      .toBe("TENANT_SUSPENDED");

    const resumed = await json<{ tenant: ListedTenant }>(["tenants", "resume", "acme"]);
    expect(resumed.tenant.status).toBe("active");
    await expect
      .poll(
        () => tenancy.withTenant(id, async () => "served").catch((e: { code?: string }) => e.code),
        { timeout: 2000 },
      )
      .toBe("served");
  });

  it("refuses a transition the tenant's state does not allow with exit 1", async () => {
    const run = await cli(["tenants", "resume", "acme"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Cannot resume a tenant that is active");
  });

  it("round-trips a tenant through export and import, data and logins included", async () => {
    const source = (await listed()).find((t) => t.slug === "acme");
    if (!source) throw new Error("acme missing");
    await tenancy.withTenant(source.id, async ({ models }) => {
      const author = await models.User.findOne({ email: "owner@acme.test" }).lean();
      if (!author) throw new Error("owner missing");
      const by = { authorId: author._id, authorName: author.name };
      await models.Note.create([
        { title: "first", body: "one", tags: ["a"], ...by },
        { title: "second", body: "two", tags: ["b"], ...by },
      ]);
    });
    const archive = path.join(work, "acme.tenantry.gz");
    const exported = await json<{
      export: { counts: Record<string, number>; bytes: number; file: string };
    }>(["tenants", "export", "acme", "--out", archive]);
    expect(existsSync(archive)).toBe(true);
    expect(exported.export.file).toBe(archive);
    expect(exported.export.bytes).toBeGreaterThan(0);
    expect(exported.export.counts.users).toBe(1);

    const imported = await json<{ tenant: ListedTenant }>([
      "tenants",
      "import",
      archive,
      "--slug",
      "acme-copy",
    ]);
    expect(imported.tenant).toMatchObject({ slug: "acme-copy", status: "active" });
    expect(imported.tenant.id).not.toBe(source.id);

    const copy = await tenancy.withTenant(imported.tenant.id, async ({ models }) => {
      const notes = await models.Note.find({}).sort({ title: 1 }).lean();
      const user = await models.User.findOne({ email: "owner@acme.test" }).lean();
      return {
        titles: notes.map((n) => n.title),
        login: user?.passwordHash
          ? await tenancy.passwords.verify(user.passwordHash, PASSWORD)
          : false,
      };
    });
    expect(copy).toEqual({ titles: ["first", "second"], login: true });
    // The owner's email now leads to both tenants (the login tenant picker).
    const memberships = await tenancy.directory.findByEmail("owner@acme.test");
    expect(memberships.map((m) => m.tenantId).sort()).toEqual(
      [source.id, imported.tenant.id].sort(),
    );

    // An existing archive is not overwritten without --force.
    const again = await cli(["tenants", "export", "acme", "--out", archive]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("pass --force");
  });

  it("deletes, restores, and purges only with the slug confirmed", async () => {
    await createTenant("doomed");
    expect(
      (await json<{ tenant: ListedTenant }>(["tenants", "delete", "doomed"])).tenant.status,
    ).toBe("deleted");
    expect(
      (await json<{ tenant: ListedTenant }>(["tenants", "restore", "doomed"])).tenant.status,
    ).toBe("active");
    await json(["tenants", "delete", "doomed"]);

    const unconfirmed = await cli(["tenants", "purge", "doomed", "--confirm", "other"]);
    expect(unconfirmed.code).toBe(2);
    expect((await listed(["--status", "deleted"])).map((t) => t.slug)).toContain("doomed");

    const purged = await json<{ receipt: { slug: string; dbName: string } }>([
      "tenants",
      "purge",
      "doomed",
      "--confirm",
      "doomed",
    ]);
    expect(purged.receipt.slug).toBe("doomed");
    expect((await listed()).map((t) => t.slug)).not.toContain("doomed");
    expect((await listed(["--status", "purged"])).length).toBe(1);
    const gone = await cli(["tenants", "restore", "doomed"]);
    expect(gone.code).toBe(3);
  });

  it("migrates one tenant or all of them, reporting the target version", async () => {
    const one = await json<{ migration: { slug: string; to: number } }>([
      "tenants",
      "migrate",
      "acme",
    ]);
    expect(one.migration).toMatchObject({
      slug: "acme",
      to: tenancy.lifecycle.latestSchemaVersion,
    });
    const all = await json<{ targetVersion: number; failed: unknown[] }>([
      "tenants",
      "migrate",
      "--all",
      "--concurrency",
      "2",
    ]);
    expect(all).toMatchObject({ targetVersion: tenancy.lifecycle.latestSchemaVersion, failed: [] });
  });

  it("takes the owner password from stdin so it stays out of ps and shell history", async () => {
    const created = await json<{ tenant: ListedTenant }>(
      [
        "tenants",
        "create",
        "--slug",
        "quiet",
        "--name",
        "Quiet",
        "--owner-email",
        "o@quiet.test",
        "--owner-name",
        "O",
        "--owner-password-stdin",
      ],
      { input: `${PASSWORD}\n` },
    );
    const ok = await tenancy.withTenant(created.tenant.id, async ({ models }) => {
      const user = await models.User.findOne({ email: "o@quiet.test" }).lean();
      return user?.passwordHash ? tenancy.passwords.verify(user.passwordHash, PASSWORD) : false;
    });
    expect(ok).toBe(true);
  });
});

describe("plans through the CLI", () => {
  it("set-plan changes the plan and overrides, is audited, and the new seats limit holds at once", async () => {
    const t = await createTenant("planned");
    const out = await json<{ tenant: { plan: string; limits: Record<string, number> } }>([
      "tenants",
      "set-plan",
      "planned",
      "pro",
      "--limit",
      "seats=1",
      "--limit",
      "notes=7",
    ]);
    expect(out.tenant).toMatchObject({ plan: "pro", limits: { seats: 1, notes: 7 } });
    const { items } = await tenancy.audit.list({ action: "tenant.plan.changed", tenantId: t.id });
    expect(items[0]).toMatchObject({
      actor: { type: "cli" },
      tenantSlug: "planned",
      details: {
        before: { plan: "free", limits: {} },
        after: { plan: "pro", limits: { seats: 1, notes: 7 } },
      },
    });
    // The owner holds the one seat: another member is refused (this process sees the change
    // at its next registry poll).
    const addMember = () =>
      tenancy
        .withTenant(t.id, async (scope) => {
          const owner = await scope.models.User.findOne({ role: "owner" }).lean();
          if (!owner) throw new Error("no owner");
          return tenancy.members.add(
            scope,
            { user: owner },
            { email: "second@planned.test", name: "Second", role: "member" },
          );
        })
        .then(
          () => "added",
          (e: { code?: string }) => e.code,
        );
    await expect.poll(() => tenancy.registry.get(t.id).then((r) => r.plan)).toBe("pro");
    expect(await addMember()).toBe("QUOTA_EXCEEDED");

    const cleared = await json<{ tenant: { limits: Record<string, number> } }>([
      "tenants",
      "set-plan",
      "planned",
      "pro",
      "--limit",
      "seats=default",
    ]);
    expect(cleared.tenant.limits).toEqual({ notes: 7 });
    await expect.poll(() => tenancy.registry.get(t.id).then((r) => r.limits.seats)).toBe(undefined);
    expect(await addMember()).toBe("added");
  });

  it("refuses an unknown plan or limit with exit 2, changing nothing", async () => {
    const badPlan = await cli(["tenants", "set-plan", "planned", "gold", "--json"]);
    expect(badPlan.code).toBe(2);
    expect(badPlan.stdout).toContain("free, pro, enterprise");
    const badLimit = await cli(["tenants", "set-plan", "planned", "free", "--limit", "bogus=1"]);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stdout + badLimit.stderr).toMatch(/Unknown limit bogus/);
    const badValue = await cli(["tenants", "set-plan", "planned", "free", "--limit", "seats=lots"]);
    expect(badValue.code).toBe(2);
    expect((await tenancy.tenants.get((await tenancy.registry.getBySlug("planned")).id)).plan).toBe(
      "pro",
    );
  });
});

describe("clusters and admins", () => {
  it("adds a cluster, never shows its URI, and places a tenant on it", async () => {
    second = await startTestDatabase({ embedded: true }); // a second, separate server
    // The embedded server has no auth, so a marker in the query string stands in for credentials.
    const secretUri = `${second.uri}/?appName=hunter2`;
    const added = await cli(
      ["clusters", "add", "--name", "second", "--uri-stdin", "--skip-verify", "--json"],
      { input: `${secretUri}\n` },
    );
    expect(added.code).toBe(0);
    const list = await cli(["clusters", "list", "--json"]);
    const clusters = (
      JSON.parse(list.stdout) as {
        clusters: { name: string; tenantCount: number; healthy: boolean }[];
      }
    ).clusters;
    expect(clusters.map((c) => c.name).sort()).toEqual(["default", "second"]);
    expect(list.stdout).not.toContain("hunter2");
    expect(list.stdout).not.toContain(String(second.port));

    const placed = await createTenant("far-away", ["--cluster", "second"]);
    expect(placed.cluster).toBe("second");
    const missing = await cli([
      "tenants",
      "create",
      "--slug",
      "nowhere",
      "--name",
      "N",
      "--owner-email",
      "o@n.test",
      "--owner-name",
      "O",
      "--owner-password",
      PASSWORD,
      "--cluster",
      "mars",
    ]);
    expect(missing.code).toBe(3);
  });

  it("refuses a cluster URI the admin app would refuse (host allow-list, risky options)", async () => {
    const add = (uri: string, env?: Record<string, string>) =>
      cli(["clusters", "add", "--name", "refused", "--uri-stdin", "--skip-verify", "--json"], {
        input: `${uri}\n`,
        ...(env ? { env } : {}),
      });
    // Unset allow-list: loopback only, so a cloud metadata address is refused before any connection.
    const metadata = await add("mongodb://169.254.169.254:27017");
    expect(metadata.code).toBe(2);
    expect(metadata.stdout + metadata.stderr).toContain("allow-list");
    const fileReading = await add(`${uri}/?tls=true&tlsCAFile=/etc/passwd`);
    expect(fileReading.code).toBe(2);
    expect(fileReading.stdout + fileReading.stderr).toContain("tlsCAFile");
    // A configured allow-list replaces the loopback default.
    const elsewhere = await add(uri, { CLUSTER_HOST_ALLOWLIST: "*.db.internal" });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stdout + elsewhere.stderr).toContain("allow-list");
    const badConfig = await add(uri, { CLUSTER_HOST_ALLOWLIST: "db.internal:27017" });
    expect(badConfig.code).toBe(4);
    expect(badConfig.stdout + badConfig.stderr).toContain("CLUSTER_HOST_ALLOWLIST");
    const list = await json<{ clusters: { name: string }[] }>(["clusters", "list", "--json"]);
    expect(list.clusters.map((c) => c.name)).not.toContain("refused");
  });

  it("creates a super admin who can then authenticate", async () => {
    const out = await json<{ admin: { email: string } }>(
      ["admin", "create", "--email", "Root@Example.test", "--name", "Root", "--password-stdin"],
      { input: "a long admin passphrase\n" },
    );
    expect(out.admin.email).toBe("root@example.test");
    expect(
      await tenancy.admins.authenticate("root@example.test", "a long admin passphrase"),
    ).not.toBeNull();
    const dup = await cli([
      "admin",
      "create",
      "--email",
      "root@example.test",
      "--name",
      "Root",
      "--password",
      "another long one",
    ]);
    expect(dup.code).toBe(1);
  });
});

describe("disabling a super admin", () => {
  it("ends their sign-ins, is audited, and never disables the last active one", async () => {
    await json(
      ["admin", "create", "--email", "second@example.test", "--name", "Second", "--password-stdin"],
      { input: "another long admin passphrase\n" },
    );
    const out = await json<{ admin: { email: string; status: string } }>([
      "admin",
      "disable",
      "root@example.test",
    ]);
    expect(out.admin).toMatchObject({ email: "root@example.test", status: "disabled" });
    expect(
      await tenancy.admins.authenticate("root@example.test", "a long admin passphrase"),
    ).toBeNull();
    const audit = await tenancy.audit.list({ action: "admin.disabled" });
    expect(audit.items.map((e) => e.target)).toContain("root@example.test");
    // The one active super admin left stays active.
    const last = await cli(["admin", "disable", "second@example.test"]);
    expect(last.code).toBe(1);
    expect(last.stderr).toContain("The last active super admin cannot be disabled");
    expect(
      await tenancy.admins.authenticate("second@example.test", "another long admin passphrase"),
    ).not.toBeNull();
    expect((await cli(["admin", "disable", "nobody@example.test"])).code).toBe(3);
    const listed = await json<{ admins: { email: string; status: string }[] }>(["admin", "list"]);
    expect(listed.admins.map((a) => [a.email, a.status])).toEqual([
      ["root@example.test", "disabled"],
      ["second@example.test", "active"],
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/argon2|passwordHash/);
  });

  it("removes a super admin's two-factor sign-in (lost phone and recovery codes)", async () => {
    const second = (await tenancy.admins.list()).find((a) => a.email === "second@example.test");
    if (!second) throw new Error("second admin missing");
    const account = tenancy.admins.secondFactorAccount(second);
    const { secret } = await tenancy.twoFactor.beginEnrolment(account);
    await tenancy.twoFactor.confirmEnrolment(account, totpCode(secret));
    expect((await tenancy.admins.get(second.id))?.twoFactorEnabled).toBe(true);
    const out = await json<{ admin: { email: string; twoFactorEnabled: boolean } }>([
      "admin",
      "reset-two-factor",
      "second@example.test",
    ]);
    expect(out.admin).toEqual({
      id: second.id,
      email: "second@example.test",
      twoFactorEnabled: false,
    });
    expect((await tenancy.admins.get(second.id))?.twoFactorEnabled).toBe(false);
    expect(await tenancy.audit.list({ action: "admin.twoFactor.reset" })).toMatchObject({
      items: [expect.objectContaining({ target: "second@example.test" })],
    });
    expect((await cli(["admin", "reset-two-factor", "nobody@example.test"])).code).toBe(3);
  });
});

describe("the password policy the apps and the api apply", () => {
  // 9 characters: the UI's forms and the api refuse it (12 at least), so the CLI must too.
  const NINE = "Nine-ch4r";

  it("refuses a weak super-admin password with the policy's reason, creating nothing", async () => {
    expect(passwordWeakness(NINE)).toMatch(/at least 12/);
    const run = await cli(
      ["admin", "create", "--email", "weak@example.test", "--name", "Weak", "--password-stdin"],
      { input: `${NINE}\n` },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Admin password: Password must be at least 12 characters long");
    expect(await tenancy.admins.authenticate("weak@example.test", NINE)).toBeNull();
  });

  it("refuses a weak owner password for a new tenant, provisioning nothing", async () => {
    const run = await cli([
      "tenants",
      "create",
      "--slug",
      "weakpw",
      "--name",
      "Weak",
      "--owner-email",
      "o@weakpw.test",
      "--owner-name",
      "O",
      "--owner-password",
      NINE,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Owner password: Password must be at least 12 characters long");
    const list = await json<{ tenants: ListedTenant[] }>([
      "tenants",
      "list",
      "--status",
      "provisioning",
    ]);
    expect(list.tenants.map((t) => t.slug)).not.toContain("weakpw");
    await expect(tenancy.registry.getBySlug("weakpw")).rejects.toThrow(/not found/);
  });
});

describe("API keys through the CLI", () => {
  interface CreatedKey {
    key: { id: string; name: string; scopes: string[] };
    secret: string;
  }
  /** What the api's key guard does with the string: parse it, then check it in its database. */
  const authenticate = async (secret: string) => {
    const key = parseApiKey(secret);
    if (key.kind === "platform") return tenancy.platformKeys.authenticate(key, null);
    return tenancy.withTenant(key.tenantId, (scope) =>
      tenancy.apiKeys.authenticate(scope, key, null),
    );
  };

  it("creates a tenant key (secret printed once), lists it without the secret and revokes it", async () => {
    const t = await createTenant("cli-keys");
    const made = await json<CreatedKey>([
      "keys",
      "create",
      "--tenant",
      "cli-keys",
      "--name",
      "etl",
      "--scopes",
      "notes:read,notes:write",
      "--expires",
      "2099-12-31",
    ]);
    expect(made.secret).toMatch(new RegExp(`^tnk_${t.id}_${made.key.id}_[0-9a-f]{64}$`));
    expect(await authenticate(made.secret)).toMatchObject({ name: "etl" });
    const list = await cli(["keys", "list", "--tenant", "cli-keys"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("etl");
    expect(list.stdout).not.toContain(made.secret.slice(-64));
    const revoked = await cli(["keys", "revoke", "--tenant", "cli-keys", made.key.id]);
    expect(revoked.code).toBe(0);
    await expect(authenticate(made.secret)).rejects.toMatchObject({ code: "KEY_REVOKED" });
    const audit = await tenancy.withTenant(t.id, (scope) =>
      scope.models.Audit.find({ action: { $in: ["keys.create", "keys.revoke"] } }).lean(),
    );
    expect(audit.map((a) => a.action).sort()).toEqual(["keys.create", "keys.revoke"]);
  });

  it("refuses an unknown scope with exit 2, naming the scopes it offers", async () => {
    await createTenant("cli-keys-bad");
    const run = await cli([
      "keys",
      "create",
      "--tenant",
      "cli-keys-bad",
      "--name",
      "x",
      "--scopes",
      "billing:read",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("notes:read");
  });

  it("creates, lists and revokes platform keys under admin keys", async () => {
    const made = await json<CreatedKey>([
      "admin",
      "keys",
      "create",
      "--name",
      "fleet",
      "--scopes",
      "platform:read",
    ]);
    expect(made.secret).toMatch(/^tnp_[0-9a-f]{24}_[0-9a-f]{64}$/);
    expect(await authenticate(made.secret)).toMatchObject({ scopes: ["platform:read"] });
    const list = await json<{ keys: { id: string }[] }>(["admin", "keys", "list"]);
    expect(list.keys.map((k) => k.id)).toContain(made.key.id);
    expect(JSON.stringify(list)).not.toContain(made.secret.slice(-64));
    expect((await cli(["admin", "keys", "revoke", made.key.id])).code).toBe(0);
    await expect(authenticate(made.secret)).rejects.toMatchObject({ code: "KEY_REVOKED" });
  });
});

describe("exit codes", () => {
  it("2 for bad usage, before any configuration is read", async () => {
    const noConfig = { MONGODB_URI: undefined, ENCRYPTION_KEY: undefined };
    const cases = [
      ["tenants", "suspend", "acme"], // missing --reason
      ["tenants", "list", "--bogus"],
      ["tenants", "frobnicate"],
      ["teams", "list"],
      ["tenants", "migrate"], // neither <tenant> nor --all
      ["tenants", "list", "--limit", "zero"],
      [],
    ];
    // Independent processes: run them side by side to keep the suite quick.
    const runs = await Promise.all(cases.map((args) => cli(args, { env: noConfig })));
    runs.forEach((run, i) => {
      const args = cases[i];
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^tenantry: /);
    });
    const asJson = await cli(["tenants", "suspend", "acme", "--json"], { env: noConfig });
    expect(JSON.parse(asJson.stdout)).toEqual({
      error: { code: "USAGE", message: "Missing --reason", exitCode: 2, details: [] },
    });
  });

  it("2 for arguments the domain rejects, naming the field", async () => {
    const run = await cli([
      "tenants",
      "create",
      "--slug",
      "Bad Slug",
      "--name",
      "x",
      "--owner-email",
      "a@b.test",
      "--owner-name",
      "x",
      "--owner-password",
      PASSWORD,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("slug:");
  });

  it("3 for a tenant that does not exist", async () => {
    const run = await cli(["tenants", "suspend", "no-such-tenant", "--reason", "x", "--json"]);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: { code: "TENANT_NOT_FOUND", exitCode: 3 },
    });
  });

  it("4 for missing or malformed configuration, naming the variable", async () => {
    const missing = await cli(["tenants", "list"], { env: { MONGODB_URI: undefined } });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain("MONGODB_URI is not set");
    const badKey = await cli(["tenants", "list", "--json"], {
      env: { ENCRYPTION_KEY: "c2hvcnQ=" },
    });
    expect(badKey.code).toBe(4);
    expect(JSON.parse(badKey.stdout)).toMatchObject({
      error: {
        code: "CONFIG",
        details: [expect.stringContaining("ENCRYPTION_KEY must be 32 bytes")],
      },
    });
  });

  it("accepts CONTROL_DB_NAME (the API's name for it) and refuses two different control databases", async () => {
    const viaApiName = await cli(["tenants", "list", "--json"], {
      env: { TENANTRY_CONTROL_DB: undefined, CONTROL_DB_NAME: CONTROL_DB },
    });
    expect(viaApiName.code).toBe(0);
    expect(
      (JSON.parse(viaApiName.stdout) as { tenants: ListedTenant[] }).tenants.map((t) => t.slug),
    ).toContain("acme");
    const both = await cli(["tenants", "list"], { env: { CONTROL_DB_NAME: "elsewhere" } });
    expect(both.code).toBe(4);
    expect(both.stderr).toContain("TENANTRY_CONTROL_DB (");
  });

  it("1 when the control database cannot be reached, without leaking credentials", async () => {
    const run = await cli(["tenants", "list"], {
      env: { MONGODB_URI: "mongodb://ops:hunter2@127.0.0.1:1/?serverSelectionTimeoutMS=500" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Cannot reach the control database at mongodb://***@127.0.0.1:1");
    expect(run.stderr).not.toContain("hunter2");
  });

  it("documents every exit code in --help", async () => {
    const run = await cli(["--help"], { env: { MONGODB_URI: undefined } });
    expect(run.code).toBe(0);
    for (const line of [
      "0  success",
      "1  the operation failed",
      "2  usage error",
      "3  tenant or cluster not found",
      "4  configuration error",
    ])
      expect(run.stdout).toContain(line);
  });
});

describe("progress on a terminal", () => {
  /** Runs the CLI under util-linux `script`, which gives it a real pty as an operator's terminal would. */
  function underPty(args: string[]): Promise<Run> {
    const envFile = path.join(work, "tty-env.sh");
    writeFileSync(
      envFile,
      `export MONGODB_URI='${uri}' ENCRYPTION_KEY='${KEY}' TENANTRY_CONTROL_DB='${CONTROL_DB}'\n`,
    );
    const quoted = args.map((a) => `'${a}'`).join(" ");
    return new Promise<Run>((resolve, reject) => {
      const child = spawn(
        "script",
        ["-qec", `. '${envFile}' && '${process.execPath}' '${BIN}' ${quoted}`, "/dev/null"],
        {
          env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: "xterm" },
          cwd: work,
        },
      );
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr: "" }));
    });
  }

  it("draws a progress line on stderr under a pseudo-terminal and clears it before the result", async () => {
    const archive = path.join(work, "tty.tenantry.gz");
    const run = await underPty(["tenants", "export", "acme", "--out", archive]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("\r\x1b[2Kexporting acme");
    // The bar fills from the library's document counts, up to 100%.
    expect(run.stdout).toMatch(/exporting acme █+ 100% (\d+)\/\1 /);
    expect(run.stdout).toContain("\r\x1b[2KExported acme: ");
  });

  it("fills a bar with counts while migrating every tenant that is behind", async () => {
    // Mark three tenants as behind in the control database; their databases are current, so
    // the migration is quick, but each one is reported as it completes.
    const behind = ["acme", "acme-copy", "quiet"];
    await controlModelsOf(tenancy).Tenant.updateMany(
      { slug: { $in: behind } },
      { $set: { schemaVersion: 0 } },
    );
    const run = await underPty(["tenants", "migrate", "--all", "--concurrency", "1"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/migrating █+ 100% 3\/3/);
    expect(run.stdout).toContain("Migrated 3 of 3 tenants");
    const after = await controlModelsOf(tenancy)
      .Tenant.find({ slug: { $in: behind } })
      .lean();
    expect(after.map((t) => t.schemaVersion)).toEqual(
      [1, 1, 1].map(() => tenancy.lifecycle.latestSchemaVersion),
    );
  });
});
