// `pnpm test:load`: the full load scenario (200 virtual users over 1,000 tenants).
// `--long` runs it for 10 minutes; `--users N --tenants N --seconds N` override the profile.
import {
  FULL_PROFILE,
  LONG_PROFILE,
  TOLERANCE,
  runLoadScenario,
  summarize,
} from "../src/load-scenario";
import type { LoadProfile } from "../src/load-scenario";

const argv = process.argv.slice(2).filter((a) => a !== "--");
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : undefined;
};
const long = argv.includes("--long") || process.env.LOAD_LONG === "1";
const base = long ? LONG_PROFILE : FULL_PROFILE;
const seconds = flag("--seconds");
const profile: LoadProfile = {
  users: flag("--users") ?? base.users,
  tenants: flag("--tenants") ?? base.tenants,
  durationMs: seconds ? seconds * 1000 : base.durationMs,
  warmupMs: seconds ? Math.round(seconds * 250) : base.warmupMs,
};

const log = (m: string) =>
  process.stdout.write(`[load ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const result = await runLoadScenario(profile, log);
process.stdout.write(`\n${summarize(result)}\n`);
const problems: string[] = [];
if (result.report.failureCount)
  problems.push(
    `${result.report.failureCount} failed requests, e.g. ${JSON.stringify(result.report.failures.slice(0, 5))}`,
  );
if (result.verify.readBackByOwner !== result.verify.writes)
  problems.push(`read-back mismatches: ${result.verify.readBackMismatches.join("; ")}`);
if (result.verify.visibleToOtherTenant.length)
  problems.push(`visible to another tenant: ${result.verify.visibleToOtherTenant.join("; ")}`);
if (result.verify.misplaced.length)
  problems.push(`misplaced: ${result.verify.misplaced.join("; ")}`);
if (result.verify.missing)
  problems.push(`${result.verify.missing} acknowledged writes missing from their database`);
if (!result.flat.sockets)
  problems.push(`db sockets not flat (±${TOLERANCE.socketsDelta}, max ${TOLERANCE.socketsMax})`);
if (!result.flat.rss) problems.push(`rss grew more than ${TOLERANCE.rssGrowth * 100} %`);
if (problems.length) {
  process.stdout.write(`\nFAIL\n- ${problems.join("\n- ")}\n`);
  process.exit(1);
}
process.stdout.write("\nPASS\n");
process.exit(0);
