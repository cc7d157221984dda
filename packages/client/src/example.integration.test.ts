// Runs the example program (examples/notes-cli) as a child process against a real server.
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestApi } from "../test/api-server";
import { PASSWORD, ownerMadeKey, provisionTenant, startTestApi } from "../test/api-server";
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

const notesKey = (scopes?: string[]) => ownerMadeKey(api, "acme", scopes);

describe("examples/notes-cli", () => {
  it("lists notes and creates one with an API key, as the key's service account", async () => {
    const env = {
      TENANTRY_URL: api.url,
      TENANTRY_API_KEY: await notesKey(),
      NOTE_TITLE: "From the example",
    };
    const first = await runExample(env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Notes (0):");
    expect(first.stdout).toMatch(/Created note [a-f0-9]{24}: "From the example" as notes-cli/);
    const second = await runExample(env);
    expect(second.stdout).toContain("Notes (1):");
    expect(second.stdout).toContain("- From the example  [example]  by notes-cli");
    const client = createTenantryClient({ url: api.url });
    await client.login({ email: "owner@acme.test", password: PASSWORD });
    expect((await client.notes.list.query({ tag: "example" })).items).toHaveLength(2);
  }, 60_000);

  it("exits non-zero with the API's reason for a key without the write scope", async () => {
    const res = await runExample({
      TENANTRY_URL: api.url,
      TENANTRY_API_KEY: await notesKey(["notes:read"]),
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("API error FORBIDDEN (SCOPE_MISSING)");
  }, 60_000);

  it("exits non-zero with the API's reason for a key with a wrong secret", async () => {
    const res = await runExample({
      TENANTRY_URL: api.url,
      TENANTRY_API_KEY: (await notesKey()).replace(/.{64}$/, "0".repeat(64)),
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("API error UNAUTHORIZED (KEY_UNKNOWN)");
  }, 60_000);
});
