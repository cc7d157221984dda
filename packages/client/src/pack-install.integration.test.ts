// What a new user does with the package: pack it, install the tarball with plain npm into a new
// project outside the workspace, type-check README.md's program under NodeNext and Bundler
// resolution, and run it against a live API server.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestApi } from "../test/api-server";
import { PASSWORD, ownerMadeKey, provisionTenant, startTestApi } from "../test/api-server";
import type { CommandResult } from "../test/run-command";
import { runCommand as run } from "../test/run-command";

const packageDir = join(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
// The workspace's versions, so the installed project checks with what the package is built with.
const TYPESCRIPT = (require("typescript/package.json") as { version: string }).version;
const TYPES_NODE = (require("@types/node/package.json") as { version: string }).version;
// npm on a fresh machine downloads everything; bounded so a stuck registry fails the test.
const INSTALL_TIMEOUT_MS = 300_000;

function expectOk(res: CommandResult, what: string): void {
  expect(res.code, `${what} failed:\n${res.stdout}\n${res.stderr}`).toBe(0);
}

/**
 * npm with none of the npm_ and pnpm_ settings that pnpm passes to the scripts it runs (they
 * would configure this npm too) and none of the workspace's node_modules on its paths.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_)/i.test(k) || k === "NODE_PATH" || k === "INIT_CWD") continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(":")
    .filter((p) => !p.includes("node_modules"))
    .join(":");
  return env;
}

/** The first ```ts block after "## A complete program" in README.md. */
function readmeProgram(): string {
  const readme = readFileSync(join(packageDir, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## A complete program"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error("README.md has no program under '## A complete program'");
  return match[1];
}

const STRICT = {
  strict: true,
  skipLibCheck: true,
  target: "ES2022",
  lib: ["ES2023"],
  types: ["node"],
};

let api: TestApi;
let root: string;
let project: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "tenantry-client-pack-"));
  project = join(root, "program");
  mkdirSync(project);
  // The install must see nothing of the workspace: no node_modules in any folder above.
  for (let dir = project; dir !== dirname(dir); dir = dirname(dir)) {
    expect(existsSync(join(dirname(dir), "node_modules")), `${dirname(dir)}/node_modules`).toBe(
      false,
    );
  }
  // dist/ is fresh: turbo builds it before the tests, or test/build-once.ts does.
  const pack = await run("pnpm", ["pack", "--pack-destination", root], { cwd: packageDir });
  expectOk(pack, "pnpm pack");
  api = await startTestApi();
  await provisionTenant(api, "acme");
}, 120_000);

afterAll(async () => {
  await api?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("the packed client, installed with npm into a new project", () => {
  it("installs without the server, type-checks under NodeNext and Bundler, and runs", async () => {
    const tarball = readdirSync(root).find((f) => f.endsWith(".tgz"));
    expect(tarball).toBeDefined();
    const env = npmEnv();
    expectOk(await run("npm", ["init", "-y"], { cwd: project, env }), "npm init");
    expectOk(await run("npm", ["pkg", "set", "type=module"], { cwd: project, env }), "npm pkg");
    const install = await run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        join(root, tarball ?? ""),
        `typescript@${TYPESCRIPT}`,
        `@types/node@${TYPES_NODE}`,
      ],
      { cwd: project, env, timeoutMs: INSTALL_TIMEOUT_MS },
    );
    expectOk(install, "npm install");

    // Only the client's own runtime dependencies (and @trpc/client's peer) came with it.
    const installed = JSON.parse(
      readFileSync(join(project, "node_modules/@tenantry/client/package.json"), "utf8"),
    ) as { dependencies?: Record<string, string> };
    expect(Object.keys(installed.dependencies ?? {}).sort()).toEqual(["@trpc/client", "superjson"]);
    for (const absent of ["@tenantry/api", "@tenantry/tenancy", "mongoose", "pino", "zod"])
      expect(existsSync(join(project, "node_modules", absent)), absent).toBe(false);

    writeFileSync(join(project, "main.ts"), readmeProgram());
    // skipLibCheck as in most projects (`tsc --init` sets it; @trpc's own declarations need the
    // DOM lib and ws's types without it) ...
    const configs = {
      "tsconfig.json": {
        compilerOptions: {
          ...STRICT,
          module: "NodeNext",
          moduleResolution: "NodeNext",
          outDir: "dist",
        },
        include: ["main.ts"],
      },
      "tsconfig.bundler.json": {
        compilerOptions: { ...STRICT, module: "ESNext", moduleResolution: "Bundler", noEmit: true },
        include: ["main.ts"],
      },
    };
    const tsc = join(project, "node_modules/typescript/bin/tsc");
    for (const [file, config] of Object.entries(configs)) {
      writeFileSync(join(project, file), JSON.stringify(config, null, 2));
      expectOk(await run(process.execPath, [tsc, "-p", file], { cwd: project }), `tsc -p ${file}`);
    }
    // ... and without it, this package's declarations have no errors of their own.
    for (const file of Object.keys(configs)) {
      const full = await run(
        process.execPath,
        [tsc, "-p", file, "--noEmit", "--skipLibCheck", "false"],
        { cwd: project },
      );
      expect(full.stdout).not.toContain("node_modules/@tenantry/client/");
    }

    // The live run calls with an API key the tenant's owner made (the README's first path) ...
    const program = await run(process.execPath, ["dist/main.js"], {
      cwd: project,
      env: {
        PATH: env.PATH,
        TENANTRY_URL: api.url,
        TENANTRY_API_KEY: await ownerMadeKey(api, "acme", undefined, "packed-program"),
      },
    });
    expect(program.stderr).toBe("");
    expectOk(program, "node dist/main.js");
    expect(program.stdout).toMatch(/^Created note [a-f0-9]{24} at \d{4}-\d\d-\d\dT/m);
    expect(program.stdout).toContain('Notes tagged "program": 1');
    expect(program.stdout).toContain("- Hello from a program (by packed-program)");
    expect(program.stdout).toContain("Refused: BAD_REQUEST");

    // ... and the password flow (the README's second path) still works from the same install.
    const withPassword = await run(process.execPath, ["dist/main.js"], {
      cwd: project,
      env: {
        PATH: env.PATH,
        TENANTRY_URL: api.url,
        TENANTRY_EMAIL: "owner@acme.test",
        TENANTRY_PASSWORD: PASSWORD,
      },
    });
    expectOk(withPassword, "node dist/main.js (password)");
    expect(withPassword.stdout).toContain("- Hello from a program (by Owner of acme)");

    // A refused credential: a typed error with the API's code, and a failing exit.
    const refused = await run(process.execPath, ["dist/main.js"], {
      cwd: project,
      env: { PATH: env.PATH, TENANTRY_URL: api.url, TENANTRY_API_KEY: "tnk_not-a-key" },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^API error UNAUTHORIZED \(/);
  }, 600_000);
});
