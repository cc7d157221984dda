// `tenantry tenants run <script>` as an operator runs it: the real binary against a real server,
// a script module run in each tenant's own scope, a per-tenant result, exit 1 when one failed.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { APP_MODULES } from "@tenantry/api/app-modules";
import type { Tenancy } from "@tenantry/tenancy";
import { createTenancy } from "@tenantry/tenancy";
import { TEST_HASHING, startTestDatabase } from "@tenantry/test-kit";
import type { TestDatabase } from "@tenantry/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/tenantry.js");
const KEY = randomBytes(32).toString("base64");
const CONTROL_DB = `cli_run_${randomBytes(4).toString("hex")}`;
const SLUGS = ["run-a", "run-b", "run-bad", "run-off"];

let db: TestDatabase;
let tenancy: Tenancy;
let work: string;
const ids: Record<string, string> = {};

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    MONGODB_URI: db.uri,
    ENCRYPTION_KEY: KEY,
    TENANTRY_CONTROL_DB: CONTROL_DB,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: work });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

// Counts the tenant's users through its models, marks its own database, and fails for one tenant.
const SCRIPT = `export default async function (ctx) {
  if (ctx.tenant.slug === "run-bad") throw new Error("refusing " + ctx.tenant.slug);
  await ctx.db.collection("scriptMarks").insertOne({ by: ctx.tenant.slug });
  return { slug: ctx.tenant.slug, users: await ctx.models.User.countDocuments() };
}
`;

interface RunOutput {
  script: string;
  total: number;
  ok: number;
  failed: number;
  results: { slug: string; ok: boolean; result?: unknown; error?: string }[];
}

beforeAll(async () => {
  db = await startTestDatabase();
  work = mkdtempSync(path.join(tmpdir(), "tenantry-cli-run-"));
  writeFileSync(path.join(work, "count-users.mjs"), SCRIPT);
  writeFileSync(path.join(work, "no-default.mjs"), "export const x = 1;\n");
  tenancy = await createTenancy({
    modules: APP_MODULES,
    controlUri: db.uri,
    controlDbName: CONTROL_DB,
    encryptionKey: KEY,
    passwordHashing: TEST_HASHING,
  });
  for (const slug of SLUGS) {
    const owner = { email: `o@${slug}.test`, name: "O", password: "correct horse battery" };
    ids[slug] = (await tenancy.lifecycle.provision({ slug, name: slug, owner })).id;
  }
  await tenancy.lifecycle.suspend(ids["run-off"] as string, "unpaid");
}, 60_000);

afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 1000 });
  await db?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function marks(slug: string): Promise<string[]> {
  return tenancy.withTenant(
    ids[slug] as string,
    async ({ conn }) => {
      const docs = await conn.db?.collection("scriptMarks").find().toArray();
      return (docs ?? []).map((d) => String(d.by));
    },
    { allowInactive: true },
  );
}

describe("tenants run", () => {
  it("--all runs the script in every active tenant's own scope and exits 1 when one failed", async () => {
    const run = await cli(["tenants", "run", "count-users.mjs", "--all", "--concurrency", "2"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Ran count-users.mjs in 3 tenants: 2 ok, 1 failed");
    expect(run.stdout).toMatch(/ok {6}run-a {2}\{"slug":"run-a","users":1\}/);
    expect(run.stdout).toMatch(/ok {6}run-b {2}\{"slug":"run-b","users":1\}/);
    expect(run.stdout).toMatch(/failed {2}run-bad {2}refusing run-bad/);
    expect(run.stdout).not.toContain("run-off"); // suspended: not an active tenant
    // Each mark landed in its own tenant's database only.
    expect(await marks("run-a")).toEqual(["run-a"]);
    expect(await marks("run-b")).toEqual(["run-b"]);
    expect(await marks("run-bad")).toEqual([]);
    expect(await marks("run-off")).toEqual([]);
    const audit = await tenancy.audit.list({ action: "tenant.scriptRan" });
    expect(audit.items.map((e) => e.tenantSlug).sort()).toEqual(["run-a", "run-b", "run-bad"]);
    expect(audit.items.find((e) => e.tenantSlug === "run-bad")?.details).toEqual({
      script: "count-users.mjs",
      ok: false,
    });
  });

  it("--tenant runs it in that tenant only; --json gives the per-tenant results", async () => {
    const run = await cli(["tenants", "run", "count-users.mjs", "--tenant", "run-b", "--json"]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as RunOutput;
    expect(out).toMatchObject({ script: "count-users.mjs", total: 1, ok: 1, failed: 0 });
    expect(out.results).toEqual([
      expect.objectContaining({ slug: "run-b", ok: true, result: { slug: "run-b", users: 1 } }),
    ]);
    expect(await marks("run-b")).toEqual(["run-b", "run-b"]);
    expect(await marks("run-a")).toEqual(["run-a"]);

    const bad = await cli(["tenants", "run", "count-users.mjs", "--tenant", "run-bad", "--json"]);
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as RunOutput).results).toEqual([
      expect.objectContaining({ slug: "run-bad", ok: false, error: "refusing run-bad" }),
    ]);
    // A suspended tenant is refused like any call into its scope.
    const off = await cli(["tenants", "run", "count-users.mjs", "--tenant", "run-off", "--json"]);
    expect(off.code).toBe(1);
    expect((JSON.parse(off.stdout) as RunOutput).results[0]?.error).toMatch(/suspended/i);
    expect(await marks("run-off")).toEqual([]);
  });

  it("refuses bad flags and scripts with a clear message (exit 2) or an unknown tenant (exit 3)", async () => {
    const cases: [string[], RegExp][] = [
      [["count-users.mjs"], /Give either --tenant <slug> or --all/],
      [["count-users.mjs", "--all", "--tenant", "run-a"], /Give either --tenant <slug> or --all/],
      [["count-users.mjs", "--all", "--concurrency", "0"], /--concurrency must be a whole number/],
      [["missing.mjs", "--all"], /No script at .*missing\.mjs/],
      [["no-default.mjs", "--all"], /must have a default export/],
      [["count-users.mjs", "--all", "--bogus"], /[Uu]nknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(["tenants", "run", ...args]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(message);
    }
    const unknown = await cli(["tenants", "run", "count-users.mjs", "--tenant", "nobody"]);
    expect(unknown.code).toBe(3);
  });
});
