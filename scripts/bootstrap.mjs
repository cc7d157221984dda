// Shared by `npm start` and `npm test`: bring a fresh machine (Node 20 + npm only) to the
// point where pnpm, the workspace dependencies and Chromium are present. Every step checks
// first, so a second run skips what is already done. Plain Node, no dependencies: this runs
// before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PNPM_VERSION = JSON.parse(
  readFileSync(path.join(root, "package.json"), "utf8"),
).packageManager.split("@")[1];
const localPnpmBin = path.join(root, ".tools", "node_modules", ".bin");

// Next.js and turbo would phone home (the network here is closed, and CI must not depend on it),
// and turbo prints a notice about its telemetry on first use: off for everything both commands run.
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.TURBO_TELEMETRY_DISABLED = "1";

export function log(msg) {
  console.log(`\x1b[36m[tenantry]\x1b[0m ${msg}`);
}

export function fail(msg) {
  console.error(`\x1b[31m[tenantry]\x1b[0m ${msg}`);
  process.exit(1);
}

/** Runs a command with inherited stdio; exits the whole script when it fails. */
export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: "inherit", cwd: root, env: process.env, ...opts });
  if (res.error) fail(`${cmd} ${args.join(" ")}: ${res.error.message}`);
  if (res.status !== 0 && !opts.allowFailure) {
    fail(`\`${cmd} ${args.join(" ")}\` failed with exit code ${res.status ?? res.signal}`);
  }
  return res.status ?? 1;
}

function output(cmd, args) {
  const res = spawnSync(cmd, args, { encoding: "utf8", cwd: root, env: process.env });
  return res.status === 0 ? res.stdout.trim() : null;
}

/**
 * pnpm at the pinned version, always the project-local copy in .tools/ (never one found on PATH:
 * then every clean clone, CI's included, takes the path a fresh machine takes).
 * npm 11 refuses `--allow-scripts` with `--prefix` (EALLOWSCRIPTS); pnpm runs without its
 * install scripts, so none is passed. `--loglevel=error` keeps npm's notice about the skipped
 * scripts (which asks nothing of the user) out of the output.
 */
export function ensurePnpm() {
  process.env.PATH = `${localPnpmBin}${path.delimiter}${process.env.PATH}`;
  if (localPnpmVersion() === PNPM_VERSION) return;
  log(`installing pnpm ${PNPM_VERSION} into .tools/ (once)`);
  run("npm", [
    "install",
    "--prefix",
    path.join(root, ".tools"),
    "--no-save",
    "--no-package-lock",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    `pnpm@${PNPM_VERSION}`,
  ]);
  if (localPnpmVersion() !== PNPM_VERSION) fail("pnpm could not be installed into .tools/");
}

function localPnpmVersion() {
  const bin = path.join(localPnpmBin, process.platform === "win32" ? "pnpm.cmd" : "pnpm");
  return existsSync(bin) ? output(bin, ["--version"]) : null;
}

/** Workspace dependencies, exactly as the lockfile says. */
export function ensureDependencies() {
  const marker = path.join(root, "node_modules", ".modules.yaml");
  const lock = path.join(root, "pnpm-lock.yaml");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log("installing dependencies (pnpm install --frozen-lockfile)");
  run("pnpm", ["install", "--frozen-lockfile"]);
}

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Debian's Chromium for the end-to-end tests (Playwright cannot download browsers here). */
export function ensureChromium() {
  if (existsSync(chromiumPath)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    fail(
      `Chromium is missing at ${chromiumPath}. Install Debian's package as root:\n` +
        "    sudo apt-get update && sudo apt-get install -y chromium\n" +
        "or set CHROMIUM_PATH to a Chromium binary.",
    );
  }
  log("installing Debian's chromium for the end-to-end tests (apt-get, once)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-qq"], { env });
  run("apt-get", ["install", "-y", "-qq", "chromium"], { env });
  if (!existsSync(chromiumPath)) fail(`apt-get installed chromium but ${chromiumPath} is missing`);
}
