// `pnpm --filter @tenantry/api bench`: what the tracing hooks cost when tracing is off. The api
// is bundled twice by esbuild: once as written (hooks present, no OTEL_* set, so callTracer() is
// null) and once with the hooks cut out of src/middleware/observe.ts. Both run side by side on the same
// database; autocannon loads one at a time in alternating short runs (so drift on a shared machine
// hits both alike), and the medians are compared. Goal: ≤ 3% of req/s.
// Flags: --pairs N alternating runs per scenario (default 4), --seconds S per run (default 2),
// --connections C (default 16).
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { startEmbeddedMongo } from "@tenantry/embedded-mongo";
import autocannon from "autocannon";
import { build } from "esbuild";
import type { Plugin } from "esbuild";

const { values: flags } = parseArgs({
  options: {
    pairs: { type: "string", default: "4" },
    seconds: { type: "string", default: "2" },
    connections: { type: "string", default: "16" },
  },
});
const PAIRS = Number(flags.pairs);
const SECONDS = Number(flags.seconds);
const CONNECTIONS = Number(flags.connections);

const here = path.dirname(fileURLToPath(import.meta.url));
const OBSERVE = path.join(here, "../src/middleware/observe.ts");

/** The exact hook lines in src/middleware/observe.ts; the bench refuses to run if they changed. */
const HOOKS: [string, string][] = [
  [
    "  const tracer = callTracer();\n  if (tracer === null) return observeCall(opts, null);\n",
    "  return observeCall(opts, null);\n",
  ],
  ["  if (span) endCallSpan(span, ctx.state.tenantId, outcome);\n", ""],
];

const compileOutHooks: Plugin = {
  name: "compile-out-tracing-hooks",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]middleware[\\/]observe\.ts$/ }, () => {
      let source = readFileSync(OBSERVE, "utf8");
      for (const [hook, replacement] of HOOKS) {
        if (!source.includes(hook))
          throw new Error(
            `src/middleware/observe.ts no longer contains the hook ${JSON.stringify(hook)}`,
          );
        source = source.replace(hook, replacement);
      }
      return { contents: source, loader: "ts" };
    });
  },
};

/** npm packages stay external, loaded from where the importing file would find them. */
const externalPackages: Plugin = {
  name: "external-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith("@tenantry/") || args.pluginData === "resolving") return undefined;
      if (args.path.startsWith("node:")) return { path: args.path, external: true };
      const found = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: "resolving",
      });
      return { path: found.path, external: true };
    });
  },
};

const outDir = mkdtempSync(path.join(tmpdir(), "tenantry-tracing-bench-"));
async function bundle(name: string, plugins: Plugin[], entry: string): Promise<string> {
  const outfile = path.join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [path.join(here, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Resolve packages as Node does: some "module" builds (@opentelemetry/api) are not valid Node ESM.
    mainFields: ["main"],
    conditions: ["node"],
    outfile,
    plugins: [...plugins, externalPackages],
    logLevel: "error",
  });
  return outfile;
}

interface Variant {
  name: string;
  /** The server bundle, run as a child process. */
  file: string;
  /** The in-process bundle (tracing-cost-calls.ts). */
  calls: string;
}

const CALL_ROUNDS = 9;
const CALLS_PER_ROUND = 20_000;

/** Median CPU µs per call of each variant, rounds alternating. */
async function middlewareCost(variants: Variant[]): Promise<number[]> {
  const fns = await Promise.all(
    variants.map(async (v) => {
      const mod = (await import(pathToFileURL(v.calls).href)) as {
        cpuMicrosPerCall: (n: number) => Promise<number>;
      };
      await mod.cpuMicrosPerCall(CALLS_PER_ROUND); // warm-up
      return mod.cpuMicrosPerCall;
    }),
  );
  const samples: number[][] = variants.map(() => []);
  for (let r = 0; r < CALL_ROUNDS; r++)
    for (const [i, fn] of fns.entries()) samples[i]?.push(await fn(CALLS_PER_ROUND));
  return samples.map(median);
}

function startChild(file: string, args: string[]): Promise<{ child: ChildProcess; url: string }> {
  // No OTEL_* variables: "present but off" is the state every untraced deployment runs in.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("OTEL_")),
  );
  const child = spawn(process.execPath, [file, ...args], {
    env,
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const { stdout } = child;
  if (!stdout) throw new Error("bench server has no stdout");
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    createInterface({ input: stdout }).once("line", (line) => {
      resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
  });
}

async function trpc(url: string, procedure: string, input: unknown, token?: string) {
  const res = await fetch(`${url}/trpc/${procedure}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as { result?: { data: { json: Record<string, unknown> } } };
  if (!body.result) throw new Error(`${procedure}: ${JSON.stringify(body)}`);
  return body.result.data.json;
}

async function provisionTenant(url: string): Promise<string> {
  const admin = await trpc(`${url}/admin`, "auth.login", {
    email: "root@bench.test",
    password: "Sup3r-Admin-Passw0rd!",
  });
  const owner = { email: "owner@bench.test", name: "Owner", password: "Correct-Horse-42-Battery!" };
  await trpc(
    `${url}/admin`,
    "tenants.create",
    { slug: "bench", name: "Bench", owner },
    String(admin.accessToken),
  );
  const login = await trpc(url, "auth.login", {
    email: owner.email,
    password: owner.password,
    tenantSlug: "bench",
  });
  const token = String(login.accessToken);
  for (let i = 0; i < 10; i++)
    await trpc(url, "notes.create", { title: `note ${i}`, body: "bench", tags: [] }, token);
  return token;
}

const SCENARIOS = [
  { name: "health.tenant (no database read)", path: "/trpc/health.tenant" },
  { name: "notes.list (10 notes)", path: "/trpc/notes.list" },
];

/** The child's user + system CPU time so far, µs. */
function cpuMicros(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("message", (m) => {
      const usage = m as NodeJS.CpuUsage;
      resolve(usage.user + usage.system);
    });
    child.send("cpu");
  });
}

interface Run {
  requests: number;
  cpuMicros: number;
}

async function measure(child: ChildProcess, url: string, token: string, pathname: string) {
  const before = await cpuMicros(child);
  const requests = await load(url, token, pathname);
  return { requests, cpuMicros: (await cpuMicros(child)) - before };
}

/** Requests completed in one run of SECONDS. */
async function load(url: string, token: string, pathname: string): Promise<number> {
  const result = await autocannon({
    url: `${url}${pathname}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}` },
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${pathname}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.total;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

async function main() {
  const started = performance.now();
  const variants: Variant[] = [
    {
      name: "hooks compiled out",
      file: await bundle("compiled-out", [compileOutHooks], "tracing-cost-server.ts"),
      calls: await bundle("calls-compiled-out", [compileOutHooks], "tracing-cost-calls.ts"),
    },
    {
      name: "hooks present, tracing off",
      file: await bundle("present-off", [], "tracing-cost-server.ts"),
      calls: await bundle("calls-present-off", [], "tracing-cost-calls.ts"),
    },
  ];
  // In-process first (nothing else running): CPU per call through the middleware alone.
  const callCost = await middlewareCost(variants);
  const mongo = await startEmbeddedMongo({ port: 0 });
  const args = [
    mongo.uri,
    `bench_${randomBytes(3).toString("hex")}`,
    randomBytes(32).toString("hex"),
    randomBytes(32).toString("base64"),
  ];
  const results = new Map<string, Run[]>();
  const children: ChildProcess[] = [];
  try {
    const urls: string[] = [];
    for (const v of variants) {
      const { child, url } = await startChild(v.file, args);
      children.push(child);
      urls.push(url);
    }
    const token = await provisionTenant(urls[0] ?? "");
    // Warm-up: JIT, the tenant's handle and the auth cache in each process.
    for (const url of urls) await load(url, token, SCENARIOS[0]?.path ?? "/");
    for (const s of SCENARIOS) {
      for (let pair = 0; pair < PAIRS; pair++) {
        const order = pair % 2 ? [1, 0] : [0, 1];
        for (const i of order) {
          const key = `${s.name}\u0000${variants[i]?.name}`;
          const child = children[i];
          if (!child) throw new Error("bench server missing");
          const run = await measure(child, urls[i] ?? "", token, s.path);
          results.set(key, [...(results.get(key) ?? []), run]);
        }
      }
    }
  } finally {
    for (const child of children) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    await mongo.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
  const [out, off] = variants.map((v) => v.name);
  console.log(
    `\nTracing hooks with tracing off: ${PAIRS} alternating runs of ${SECONDS} s per variant and scenario, ${CONNECTIONS} connections`,
  );
  console.log(
    "req/s is the median run; CPU/req is the server's CPU time over all runs / requests (robust to a busy machine).\n",
  );
  console.log(
    `| scenario | req/s ${out} | req/s ${off} | CPU/req ${out} | CPU/req ${off} | cost |`,
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  const perRequest = (runs: Run[]) =>
    runs.reduce((n, r) => n + r.cpuMicros, 0) / runs.reduce((n, r) => n + r.requests, 0);
  for (const s of SCENARIOS) {
    const a = results.get(`${s.name}\u0000${out}`) ?? [];
    const b = results.get(`${s.name}\u0000${off}`) ?? [];
    const [rpsA, rpsB] = [a, b].map((runs) => median(runs.map((r) => r.requests / SECONDS)));
    const [cpuA, cpuB] = [a, b].map(perRequest);
    // CPU-bound, req/s is 1 / CPU per request: the cost in req/s is the CPU/req growth.
    const cost = (1 - (cpuA ?? 0) / (cpuB ?? 1)) * 100;
    console.log(
      `| ${s.name} | ${rpsA?.toFixed(0)} | ${rpsB?.toFixed(0)} | ${cpuA?.toFixed(0)} µs | ${cpuB?.toFixed(0)} µs | ${cost.toFixed(1)}% |`,
    );
  }
  const [callOut = 0, callOff = 0] = callCost;
  console.log(
    `\nMiddleware alone, in process (${CALL_ROUNDS} alternating rounds of ${CALLS_PER_ROUND} calls of a no-op procedure, median CPU per call):`,
  );
  console.log(
    `  ${out}: ${callOut.toFixed(2)} µs, ${off}: ${callOff.toFixed(2)} µs, difference ${((callOff - callOut) * 1000).toFixed(0)} ns per call`,
  );
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

await main();
