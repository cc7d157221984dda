// Runs the example program (examples/notes-cli) as a child process against a real server.
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestApi } from "../test/api-server";
import { PASSWORD, provisionTenant, startTestApi } from "../test/api-server";
import { runCommand } from "../test/run-command";
import { createTenantryClient } from "./index";

let api: TestApi;
const exampleDir = join(import.meta.dirname, "../../../examples/notes-cli");

beforeAll(async () => {
  api = await startTestApi();
  await provisionTenant(api, "acme");
});
afterAll(async () => api?.stop());

function runExample(env: Record<string, string>) {
  return runCommand(join(exampleDir, "node_modules/.bin/tsx"), ["src/main.ts"], {
    cwd: exampleDir,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
  });
}

describe("examples/notes-cli", () => {
  it("logs in, lists notes and creates one", async () => {
    const env = {
      TENANTRY_URL: api.url,
      TENANTRY_EMAIL: "owner@acme.test",
      TENANTRY_PASSWORD: PASSWORD,
      NOTE_TITLE: "From the example",
    };
    const first = await runExample(env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'Logged in as owner@acme.test (owner) in tenant "Tenant acme" [acme]',
    );
    expect(first.stdout).toContain("Notes (0):");
    expect(first.stdout).toMatch(/Created note [a-f0-9]{24}: "From the example"/);
    const second = await runExample(env);
    expect(second.stdout).toContain("Notes (1):");
    expect(second.stdout).toContain("- From the example  [example]  by Owner of acme");
    const client = createTenantryClient({ url: api.url });
    await client.login({ email: "owner@acme.test", password: PASSWORD });
    expect((await client.notes.list.query({ tag: "example" })).items).toHaveLength(2);
  }, 60_000);

  it("exits non-zero with the API's reason on bad credentials", async () => {
    const res = await runExample({
      TENANTRY_URL: api.url,
      TENANTRY_EMAIL: "owner@acme.test",
      TENANTRY_PASSWORD: "wrong-password-x",
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("API error UNAUTHORIZED (INVALID_CREDENTIALS)");
  }, 60_000);
});
