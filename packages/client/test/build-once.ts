// vitest globalSetup: the example and pack-install tests use dist/ (the exports map points there).
// turbo's test task builds it first; a run started by hand builds it here when it is missing or
// older than a source it is built from. Once, before any test file, so none sees it half written.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const packageDir = join(import.meta.dirname, "..");
// The client's sources and those of the packages whose router types its .d.ts inlines.
// modules/: every module the app may register (their routers are part of AppRouter's types).
const SOURCES = ["src", "../api/src", "../tenancy/src", "../../modules"];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && !entry.name.includes(".test."))
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const built = join(packageDir, "dist/index.d.mts");
  const sourcesAt = Math.max(...SOURCES.map((s) => newestMtime(join(packageDir, s))));
  if (existsSync(built) && statSync(built).mtimeMs >= sourcesAt) return;
  execFileSync("pnpm", ["run", "build"], { cwd: packageDir, stdio: "inherit" });
}
