// A fresh clone's first steps, as a machine with Node and npm only takes them: the bootstrap of
// `npm start` / `npm test` (pnpm into .tools/, then the workspace install) with no pnpm on PATH
// and empty npm cache and pnpm store folders. A regression in the install step fails here, not on
// the first new machine that meets it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));

function git(cwd: string, ...args: string[]): string {
  const res = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`git ${args.join(" ")}: ${res.stderr}`);
  return res.stdout.trim();
}

// Works in a clone and in a git worktree alike: both know their top level and their HEAD.
const repo = git(here, "rev-parse", "--show-toplevel");
const head = git(repo, "rev-parse", "HEAD");
const pnpmVersion = (
  JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")) as { packageManager: string }
).packageManager.replace(/^pnpm@/, "");

/** PATH without any folder that holds a pnpm (global, corepack shim, .tools, node_modules/.bin). */
function pathWithoutPnpm(): string {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const kept = dirs.filter(
    (d) =>
      !existsSync(path.join(d, "pnpm")) &&
      !existsSync(path.join(d, "pnpm.cmd")) &&
      !d.split(path.sep).includes("node_modules"),
  );
  // node (and the npm beside it) must stay reachable, as on any machine with Node installed.
  const nodeDir = path.dirname(process.execPath);
  return [...new Set([...kept, nodeDir])].join(path.delimiter);
}

interface Run {
  code: number | null;
  output: string;
}

/** The bootstrap of scripts/start.mjs and scripts/test.mjs, without what follows it. */
function bootstrap(cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const script = `import("./scripts/bootstrap.mjs").then((m) => { m.ensurePnpm(); m.ensureDependencies(); })`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 540_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Lines that ask the user to act: npm's and pnpm's warnings and notices, upgrade advice,
 * deprecations, builds left unapproved. None may appear on a fresh machine.
 */
const ASKS_THE_USER = [
  /\bwarn(ing)?\b/i,
  /\bnotice\b/i,
  /\bdeprecated\b/i,
  /update available/i,
  /\bto update\b/i,
  /\brun [`'"]?(npm|pnpm|npx|corepack|curl)\b/i,
  /approve-builds/i,
  /ignored build scripts/i,
  /\bplease\b/i,
];
/** pnpm's note that the registry was slow (over 10 s for one request): says nothing to do, and
 * how slow depends on the network and the load of the machine, not on the repository. */
const SLOW_REQUEST = /\bRequest took \d+ms\b/;

// ANSI colours off, so the patterns see the words.
const plain = (s: string) => stripVTControlCharacters(s);

describe("fresh clone bootstrap (no pnpm on PATH, empty npm cache and pnpm store)", () => {
  let work: string;
  let clone: string;
  let npmCache: string;
  let pnpmStore: string;
  let env: NodeJS.ProcessEnv;
  let first: Run;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "tenantry-setup-"));
    clone = path.join(work, "repo");
    npmCache = path.join(work, "npm-cache");
    pnpmStore = path.join(work, "pnpm-store");
    const xdg = ["data", "cache", "state", "config"].map((d) => path.join(work, `xdg-${d}`));
    for (const d of [npmCache, pnpmStore, ...xdg]) mkdirSync(d);

    git(work, "clone", "--quiet", "--no-checkout", repo, clone);
    git(clone, "checkout", "--quiet", "--detach", head);

    // Nothing of the calling pnpm, turbo or vitest leaks in (their npm_*/pnpm_* variables, CI,
    // NODE_ENV=test): the child sees what a developer's shell on a new machine would.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) =>
          !/^(npm_|pnpm_|turbo_|vitest|corepack_)|^(ci|node_env|node_options|init_cwd)$/i.test(k),
      ),
    );
    env = {
      ...inherited,
      PATH: pathWithoutPnpm(),
      npm_config_cache: npmCache,
      // pnpm 12 reads pnpm_config_* (npm_config_store_dir is ignored, and npm warns about it).
      pnpm_config_store_dir: pnpmStore,
      XDG_DATA_HOME: xdg[0],
      XDG_CACHE_HOME: xdg[1],
      XDG_STATE_HOME: xdg[2],
      XDG_CONFIG_HOME: xdg[3],
    };
    first = await bootstrap(clone, env);
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("starts from a PATH with no pnpm on it", () => {
    const found = spawnSync("sh", ["-c", "command -v pnpm"], { env, encoding: "utf8" });
    expect(found.stdout.trim()).toBe("");
    const npm = spawnSync("sh", ["-c", "command -v npm"], { env, encoding: "utf8" });
    expect(npm.stdout.trim()).not.toBe("");
  });

  it("installs pnpm and the dependencies, and exits 0", () => {
    expect(first.code, first.output).toBe(0);
    const pnpm = path.join(clone, ".tools", "node_modules", ".bin", "pnpm");
    expect(spawnSync(pnpm, ["--version"], { env, encoding: "utf8" }).stdout.trim()).toBe(
      pnpmVersion,
    );
    expect(existsSync(path.join(clone, "node_modules", ".modules.yaml"))).toBe(true);
    // The tools the next steps run: turbo at the root, tsx and next in the packages that use them.
    expect(existsSync(path.join(clone, "node_modules", ".bin", "turbo"))).toBe(true);
    expect(existsSync(path.join(clone, "packages", "api", "node_modules", ".bin", "tsx"))).toBe(
      true,
    );
    expect(existsSync(path.join(clone, "apps", "web", "node_modules", ".bin", "next"))).toBe(true);
  });

  it("fetched everything into the empty npm cache and pnpm store, not from the machine's", () => {
    expect(readdirSync(npmCache).length).toBeGreaterThan(0);
    expect(readdirSync(pnpmStore).length).toBeGreaterThan(0);
  });

  it("prints no line that asks the user to do something", () => {
    const asking = plain(first.output)
      .split("\n")
      .filter((line) => ASKS_THE_USER.some((re) => re.test(line)) && !SLOW_REQUEST.test(line));
    expect(asking, first.output).toEqual([]);
  });

  it("skips everything on a second run, silently", async () => {
    const second = await bootstrap(clone, env);
    expect(second.code, second.output).toBe(0);
    expect(plain(second.output).trim()).toBe("");
  });
});
