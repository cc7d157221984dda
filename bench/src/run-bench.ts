// Runs the six scenarios in order on one database child and one tenant fleet, then writes the
// report. A scenario that throws is reported as not completed; the others still run.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import type { BenchContext, Mode, ScenarioResult } from "./bench-context";
import { SIZES, newSecrets, provisionDeadline } from "./bench-context";
import { Fleet } from "./fleet";
import { startChild } from "./processes/child-process";
import type { RunInfo } from "./report";
import { writeReport } from "./report";
import { churnScenario } from "./scenarios/churn";
import { coldScenario } from "./scenarios/cold";
import { noisyScenario } from "./scenarios/noisy";
import { operationsScenario } from "./scenarios/operations";
import { overheadScenario } from "./scenarios/overhead";
import { scaleScenario } from "./scenarios/scale";

/**
 * This package's share of `pnpm bench`'s 15 minutes: the embedded server's and the API's own
 * benches run first and take about 1.5 minutes. Scenario 2's bulk step shrinks to leave the later
 * scenarios theirs.
 */
const RUN_BUDGET_MS = 13.5 * 60_000;

export interface BenchRunOptions {
  mode: Mode;
  mdFile: string;
  chartsDir: string;
  command: string;
  log?: (msg: string) => void;
  /** Only these scenario ids (default all). Scenario 2 runs too when 3 or 6 does: it grows the fleet. */
  only?: number[];
}

export async function runBench(
  opts: BenchRunOptions,
): Promise<{ results: ScenarioResult[]; failures: RunInfo["failures"]; file: string }> {
  const started = new Date();
  const loadStart = os.loadavg()[0] ?? 0;
  // The machine is shared: the load average is sampled through the run and reported with it.
  const loadSamples = [loadStart];
  const loadTimer = setInterval(() => loadSamples.push(os.loadavg()[0] ?? 0), 10_000);
  loadTimer.unref();
  const t0 = performance.now();
  const log =
    opts.log ??
    ((msg: string) =>
      process.stdout.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0)}s] ${msg}\n`));
  const sizes = SIZES[opts.mode];
  const secrets = newSecrets();
  const mongo = await startChild<{ uri: string; port: number }>("mongo-process.ts", {});
  const fleet = await Fleet.open({
    mongoUri: mongo.info.uri,
    controlDbName: secrets.controlDbName,
    encryptionKey: secrets.encryptionKey,
    jwtSecret: secrets.jwtSecret,
    notesPerTenant: sizes.notesPerTenant,
  });
  const profileDir = await mkdtemp(path.join(os.tmpdir(), "tenantry-bench-profiles-"));
  log(`CPU profiles go to ${profileDir}`);
  const ctx: BenchContext = {
    mode: opts.mode,
    sizes,
    mongo: { ...mongo.info, pid: mongo.pid },
    fleet,
    secrets,
    provisioning: [],
    profileDir,
    runDeadline: started.getTime() + RUN_BUDGET_MS,
    log,
  };
  const results: ScenarioResult[] = [];
  const failures: RunInfo["failures"] = [];
  // Scenario 2 grows the fleet to the sizes churn (3) and operations (6) need; the others run on
  // the first step's tenants.
  const needsScale = !opts.only || opts.only.some((id) => id === 2 || id === 3 || id === 6);
  const want = (id: number) => !opts.only || opts.only.includes(id) || (id === 2 && needsScale);
  try {
    const first = sizes.scale.steps[0] ?? 1;
    log(`provisioning the first ${first} tenants`);
    const grown = await fleet.grow(first, {
      concurrency: sizes.scale.provisionConcurrency,
      deadline: provisionDeadline(ctx),
    });
    ctx.provisioning.push({ fleetSize: fleet.tenants.length, ...grown });
    // Order matters: 2 grows the fleet the later ones use; 6 migrates every tenant to a schema
    // version the API processes of the other scenarios do not know, so it runs last.
    const plan: [number, string, (c: BenchContext) => Promise<ScenarioResult>][] = [
      [1, "1. overhead", overheadScenario],
      [2, "2. scale", scaleScenario],
      [3, "3. churn", churnScenario],
      [4, "4. cold tenant", coldScenario],
      [5, "5. noisy neighbour", noisyScenario],
      [6, "6. operations", operationsScenario],
    ];
    for (const [id, name, fn] of plan) {
      if (!want(id)) continue;
      const s0 = performance.now();
      const loadStart = os.loadavg()[0] ?? 0;
      log(`scenario ${name}`);
      try {
        const result = await fn(ctx);
        result.run = {
          seconds: (performance.now() - s0) / 1000,
          loadStart,
          loadEnd: os.loadavg()[0] ?? 0,
        };
        results.push(result);
        log(
          `scenario ${name}: ${results.at(-1)?.verdict} in ${((performance.now() - s0) / 1000).toFixed(0)} s`,
        );
      } catch (err) {
        const e = err as Error;
        log(`scenario ${name} FAILED: ${e.message}`);
        failures.push({ scenario: name, error: e.stack ?? e.message });
      }
    }
  } finally {
    await fleet.close().catch(() => undefined);
    await mongo.stop();
  }
  clearInterval(loadTimer);
  const file = await writeReport(opts.mdFile, opts.chartsDir, results, {
    mode: opts.mode,
    command: opts.command,
    startedAt: started,
    elapsedMs: performance.now() - t0,
    failures,
    load: {
      start: loadStart,
      end: os.loadavg()[0] ?? 0,
      min: Math.min(...loadSamples),
      max: Math.max(...loadSamples),
      mean: loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length,
    },
  });
  log(`wrote ${file}`);
  return { results, failures, file };
}
