// Rehearses a Dockerfile without Docker (none runs on the development machine): clones the
// committed repository, runs the build stages' RUN steps in it with /app mapped to the clone,
// starts the runtime CMD with the environment docker-compose.prod.yml gives that service (its
// secrets generated, MONGODB_URI pointed at an embedded server), and runs the image's own
// HEALTHCHECK against it. Loopback only: 0.0.0.0 in the CMD becomes 127.0.0.1.
//   pnpm --filter @tenantry/deploy-check rehearse web|admin|api [--keep]
import { execFile, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { startEmbeddedMongo } from "@tenantry/embedded-mongo";
import { freePort } from "@tenantry/test-kit";
import { parseDocument } from "yaml";

import { IMAGES } from "../src/compose-rules";
import { parseDockerfile } from "../src/dockerfile";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const key = process.argv[2] ?? "";
const keep = process.argv.includes("--keep");
const spec = IMAGES[key];
if (!spec) {
  console.error(`usage: rehearse-image.ts ${Object.keys(IMAGES).join("|")} [--keep]`);
  process.exit(2);
}

const log = (msg: string) => console.log(`[rehearse ${key}] ${msg}`);
const work = mkdtempSync(path.join(tmpdir(), `rehearse-${key}-`));
const app = path.join(work, "app");
const mapPath = (p: string) => (p.startsWith("/app") ? path.join(app, p.slice(4)) : p);

/** The service's compose environment, interpolations resolved with generated or default values. */
function composeEnv(mongoUri: string): Record<string, string> {
  const compose = parseDocument(
    execFileSync("git", ["-C", root, "show", "HEAD:docker-compose.prod.yml"], { encoding: "utf8" }),
    { merge: true },
  ).toJS() as {
    services: Record<
      string,
      { build?: { dockerfile?: string }; environment?: Record<string, string> }
    >;
  };
  const svc = Object.values(compose.services).find((s) => s.build?.dockerfile === spec?.dockerfile);
  const generated: Record<string, string> = {
    JWT_SECRET: randomBytes(48).toString("base64"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ADMIN_EMAIL: "rehearsal-admin@example.com",
    ADMIN_PASSWORD: randomBytes(18).toString("base64url"),
    WEB_URL: "http://127.0.0.1:3000",
    ADMIN_URL: "http://127.0.0.1:3001",
  };
  const env: Record<string, string> = {};
  for (const [k, raw] of Object.entries(svc?.environment ?? {})) {
    env[k] = String(raw).replace(
      /\$\{(\w+)(?::?[-?]([^}]*))?\}/g,
      (_m, name: string, fallback?: string) =>
        generated[name] ??
        (raw.includes(`${name}:-`) ? (fallback ?? "") : `rehearsal-${name.toLowerCase()}`),
    );
  }
  env.MONGODB_URI = mongoUri;
  return env;
}

async function main() {
  const df = parseDockerfile(
    execFileSync("git", ["-C", root, "show", `HEAD:${spec?.dockerfile}`], { encoding: "utf8" }),
  );
  log(`cloning HEAD into ${app}`);
  execFileSync("git", ["clone", "-q", root, app]);
  const runtime = df.stages.at(-1);
  let cwd = app;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
  };
  for (const stage of df.stages.slice(0, -1)) {
    for (const ins of stage.instructions) {
      if (ins.name === "WORKDIR") cwd = mapPath(ins.args);
      if (ins.name === "ENV")
        for (const m of ins.args.matchAll(/(\w+)=(\S+)/g)) if (m[1] && m[2]) env[m[1]] = m[2];
      if (ins.name !== "RUN") continue;
      // Global tools (pnpm, tsx) are already on this machine at the pinned versions.
      if (/\bnpm i(nstall)? -g\b/.test(ins.args)) {
        log(`skip (global install, present here): ${ins.args}`);
        continue;
      }
      const started = Date.now();
      log(`[${stage.name ?? stage.index}] RUN ${ins.args}`);
      execFileSync("sh", ["-c", ins.args], { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
      log(`  done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    }
  }
  if (!runtime) throw new Error("no runtime stage");
  const runEnv: Record<string, string> = { PATH: env.PATH ?? "", HOME: env.HOME ?? "" };
  let runCwd = app;
  for (const ins of runtime.instructions) {
    if (ins.name === "WORKDIR") runCwd = mapPath(ins.args);
    if (ins.name === "ENV")
      for (const m of ins.args.matchAll(/(\w+)=(\S+)/g)) if (m[1] && m[2]) runEnv[m[1]] = m[2];
  }
  const exposed = Number(runtime.instructions.find((i) => i.name === "EXPOSE")?.args);
  const port = await freePort();
  const mongo = await startEmbeddedMongo({ port: 0 });
  Object.assign(runEnv, composeEnv(mongo.uri));
  if (runEnv.HOST) runEnv.HOST = "127.0.0.1";
  if (runEnv.PORT) runEnv.PORT = String(port);
  const swap = (s: string) =>
    s.replace("0.0.0.0", "127.0.0.1").replace(String(exposed), String(port));
  let cmd = (runtime.instructions.filter((i) => i.name === "CMD").at(-1)?.json ?? []).map(swap);
  if (cmd[0] === "tsx") {
    const version =
      /tsx@(\S+)/.exec(runtime.instructions.find((i) => i.name === "RUN")?.args ?? "")?.[1] ?? "";
    cmd = [
      "node",
      path.join(app, `node_modules/.pnpm/tsx@${version}/node_modules/tsx/dist/cli.mjs`),
      ...cmd.slice(1),
    ];
  }
  log(
    `runtime: ${cmd.join(" ")} (cwd ${path.relative(work, runCwd)}, env ${Object.keys(runEnv).sort().join(" ")})`,
  );
  const child = spawn(cmd[0] ?? "node", cmd.slice(1), {
    cwd: runCwd,
    env: runEnv,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const health = runtime.instructions.find((i) => i.name === "HEALTHCHECK")?.json?.map(swap) ?? [];
  let healthy = false;
  for (let i = 0; i < 60 && !healthy && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    try {
      // Async: the embedded server lives in this process and must keep answering meanwhile.
      await promisify(execFile)(health[0] ?? "false", health.slice(1), {
        cwd: runCwd,
        env: runEnv,
      });
      healthy = true;
    } catch {
      // not up yet
    }
  }
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r).once("error", r));
  await mongo.stop();
  if (!keep) rmSync(work, { recursive: true, force: true });
  log(healthy ? `HEALTHCHECK passed: ${health.join(" ")}` : "HEALTHCHECK never passed");
  process.exit(healthy ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(`[rehearse ${key}] failed: ${(err as Error).message}`);
  if (!keep) rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
