// `tenantry billing draft` as an operator runs it: the real binary against a real server, drafts
// built from the usage a tenancy metered and flushed, written as JSON lines to the folder given.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { APP_MODULES } from "@tenantry/api/app-modules";
import type { Tenancy } from "@tenantry/tenancy";
import { createTenancy } from "@tenantry/tenancy";
import { TEST_HASHING, startTestDatabase } from "@tenantry/test-kit";
import type { TestDatabase } from "@tenantry/test-kit";
import { afterAll, beforeAll, expect, it } from "vitest";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/tenantry.js");
const KEY = randomBytes(32).toString("base64");
const CONTROL_DB = `cli_billing_${randomBytes(4).toString("hex")}`;

let db: TestDatabase;
let tenancy: Tenancy;
let work: string;
let tenantId: string;

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    MONGODB_URI: db.uri,
    ENCRYPTION_KEY: KEY,
    TENANTRY_CONTROL_DB: CONTROL_DB,
    BILLING_DRAFT_DIR: path.join(work, "drafts"),
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

beforeAll(async () => {
  db = await startTestDatabase();
  work = mkdtempSync(path.join(tmpdir(), "tenantry-cli-billing-"));
  tenancy = await createTenancy({
    modules: APP_MODULES,
    controlUri: db.uri,
    controlDbName: CONTROL_DB,
    encryptionKey: KEY,
    passwordHashing: TEST_HASHING,
    usage: { flushSeconds: 0 },
  });
  const owner = { email: "o@bill.test", name: "O", password: "correct horse battery" };
  tenantId = (await tenancy.lifecycle.provision({ slug: "bill", name: "Bill", owner })).id;
  for (let i = 0; i < 12; i++) tenancy.usage.recordCall(tenantId);
  await tenancy.usage.flush();
});
afterAll(async () => {
  await tenancy?.shutdown({ timeoutMs: 1000 });
  await db?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

it("drafts the month's invoices into BILLING_DRAFT_DIR and refuses a malformed month", async () => {
  const month = new Date().toISOString().slice(0, 7);
  const run = await cli(["billing", "draft", "--month", month, "--json"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const out = JSON.parse(run.stdout) as { file: string; drafts: { tenantId: string }[] };
  expect(out.drafts.map((d) => d.tenantId)).toEqual([tenantId]);
  expect(out.file).toBe(path.join(work, "drafts", `invoice-drafts-${month}.jsonl`));
  const lines = readFileSync(out.file, "utf8").trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
    kind: "invoice-draft",
    tenantId,
    tenantSlug: "bill",
    usage: { apiCalls: 12, peakSeats: 1, daysMetered: 1 },
  });

  const bad = await cli(["billing", "draft", "--month", "2026-13"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/month must be YYYY-MM/);
});
