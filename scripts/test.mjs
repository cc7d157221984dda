// `npm test`: everything a change must pass — lint, typecheck, unit + integration tests, end-to-end.
// turbo caches each package's passing tasks, so a second run re-runs only what changed.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ensureChromium, ensureDependencies, ensurePnpm, log, root, run } from "./bootstrap.mjs";

ensurePnpm();
ensureDependencies();
ensureChromium();

// --continue: one failing package must not hide the results of the others.
const turbo = (...args) => [
  "exec",
  "turbo",
  "run",
  ...args,
  "--env-mode=loose",
  "--output-logs=new-only",
  "--continue",
];
let failed = false;
const step = (name, args) => {
  log(name);
  if (run("pnpm", args, { allowFailure: true }) !== 0) {
    failed = true;
    log(`${name}: FAILED`);
  }
};

// Every workspace package: the globs of pnpm-workspace.yaml, plus bench/ (a package of its own).
const packageDirs = ["bench"];
for (const group of ["packages", "modules", "apps", "tooling", "tests", "examples"]) {
  if (!existsSync(path.join(root, group))) continue;
  for (const pkg of readdirSync(path.join(root, group))) packageDirs.push(path.join(group, pkg));
}
// Stale reports from an earlier run must not count; turbo restores the reports of cached tasks.
for (const pkgDir of packageDirs) {
  rmSync(path.join(root, pkgDir, "test-results"), { recursive: true, force: true });
}

// Tests share two cores and start real servers: run packages one at a time so timings stay honest.
step("lint + typecheck", turbo("lint", "typecheck", "--concurrency=2"));
step("unit + integration tests", turbo("test", "--concurrency=1"));
step("end-to-end tests", turbo("test:e2e", "--concurrency=1"));

// One closing line over every package's JUnit report, so the total is visible at a glance.
let passed = 0;
let failures = 0;
let skipped = 0;
for (const pkgDir of packageDirs) {
  const results = path.join(root, pkgDir, "test-results");
  if (!existsSync(results)) continue;
  for (const file of readdirSync(results).filter((f) => f.endsWith(".xml"))) {
    const xml = readFileSync(path.join(results, file), "utf8");
    const head = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? "";
    const num = (attr) => Number(new RegExp(`\\b${attr}="(\\d+)"`).exec(head)?.[1] ?? 0);
    const total = num("tests");
    const bad = num("failures") + num("errors");
    const skip = num("skipped");
    passed += total - bad - skip;
    failures += bad;
    skipped += skip;
  }
}
console.log(`tests: ${passed} passed, ${failures} failed, ${skipped} skipped`);
if (failed || failures > 0) {
  log("npm test FAILED");
  process.exit(1);
}
log("npm test passed");
