// `pnpm --filter @tenantry/bench bench` (full sizes, rewrites BENCHMARKS.md at the repo root and
// bench/charts/*.svg) and `bench:quick` (tiny sizes, writes into bench/.quick/ so the committed
// report is untouched).
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Mode } from "./bench-context";
import { runBench } from "./run-bench";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const modeArg = args[args.indexOf("--mode") + 1];
const mode: Mode = modeArg === "quick" ? "quick" : "full";
const onlyArg = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const only = onlyArg ? onlyArg.split(",").map(Number) : undefined;

const out =
  mode === "full"
    ? {
        mdFile: path.join(benchDir, "..", "BENCHMARKS.md"),
        chartsDir: path.join(benchDir, "charts"),
      }
    : {
        mdFile: path.join(benchDir, ".quick", "BENCHMARKS.md"),
        chartsDir: path.join(benchDir, ".quick", "charts"),
      };

const { failures } = await runBench({
  mode,
  ...out,
  ...(only ? { only } : {}),
  command: mode === "full" ? "pnpm bench" : "pnpm --filter @tenantry/bench bench:quick",
});
process.exit(failures.length ? 1 : 0);
