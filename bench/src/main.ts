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

// A full run of some scenarios only leaves the committed report alone too (bench/.partial/): its
// sections are copied into BENCHMARKS.md by hand.
const out =
  mode === "full" && !only
    ? {
        mdFile: path.join(benchDir, "..", "BENCHMARKS.md"),
        chartsDir: path.join(benchDir, "charts"),
      }
    : {
        mdFile: path.join(benchDir, mode === "full" ? ".partial" : ".quick", "BENCHMARKS.md"),
        chartsDir: path.join(benchDir, mode === "full" ? ".partial" : ".quick", "charts"),
      };

const { failures } = await runBench({
  mode,
  ...out,
  ...(only ? { only } : {}),
  command:
    mode === "full"
      ? only
        ? `pnpm --filter @tenantry/bench bench --only ${onlyArg}`
        : "pnpm bench"
      : "pnpm --filter @tenantry/bench bench:quick",
});
process.exit(failures.length ? 1 : 0);
