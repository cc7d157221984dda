// Real processes for fault tests: embedded-mongo through its CLI and the API through its real
// entry (packages/api/src/server/main.ts), both started with `node --import tsx` so the pid we hold
// is the server itself and SIGKILL hits it, not a wrapper.
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { startProcessGroup } from "@tenantry/test-kit";
import type { ProcessGroup } from "@tenantry/test-kit";

const packageDir = (specifier: string) =>
  path.dirname(path.dirname(fileURLToPath(import.meta.resolve(specifier))));

/** EMBEDDED_MONGO_DIR runs another copy of the server (e.g. a pinned commit) instead of the workspace's. */
const EMBEDDED_MONGO_DIR = process.env.EMBEDDED_MONGO_DIR ?? packageDir("@tenantry/embedded-mongo");
const API_DIR = packageDir("@tenantry/api");
const RELIABILITY_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Which API entry to run: the real `main.ts`, or this package's `scripts/api-server.ts` (same
 * wiring, plus tenancy knobs such as the provisioning lease that main.ts does not expose).
 */
export type ApiEntry = "main" | "with-tenancy-knobs";

interface Child {
  child: ChildProcess;
  pid: number;
  /** Every stdout/stderr line so far (bounded), for diagnostics and log assertions. */
  lines: string[];
  exited: Promise<number | null>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Keeps every stdout/stderr line of the child (bounded). */
function track(child: ChildProcess, lines: string[]): void {
  const push = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > 5000) lines.splice(0, 1000);
    }
  };
  child.stdout?.on("data", push);
  child.stderr?.on("data", push);
}

/** Started in this process's group: the pid is the server, and SIGKILL hits it alone. */
function start(args: string[], cwd: string, env?: NodeJS.ProcessEnv): ProcessGroup {
  return startProcessGroup(process.execPath, args, {
    cwd,
    env: env ?? process.env,
    ownGroup: false,
  });
}

function wrap(group: ProcessGroup, lines: string[]): Child {
  return {
    child: group.child,
    pid: group.pid,
    lines,
    exited: group.exited,
    kill9: () => group.stop({ signal: "SIGKILL", graceMs: 10_000 }),
    stop: () => group.stop(),
  };
}

async function waitFor<T>(
  lines: string[],
  exited: Promise<number | null>,
  match: (line: string) => T | null,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  let seen = 0;
  for (;;) {
    for (; seen < lines.length; seen++) {
      const hit = match(lines[seen] ?? "");
      if (hit !== null) return hit;
    }
    if (exitCode !== undefined)
      throw new Error(
        `${what} exited (${exitCode}) before starting:\n${lines.slice(-20).join("\n")}`,
      );
    if (Date.now() > deadline)
      throw new Error(`${what} did not start in ${timeoutMs} ms:\n${lines.slice(-20).join("\n")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface MongoChild extends Child {
  uri: string;
  port: number;
}

/** `embedded-mongo start --port N --dbpath D` as a child process. */
export async function startMongoChild(
  opts: { port?: number; dbPath?: string } = {},
): Promise<MongoChild> {
  const args = ["--import", "tsx", "scripts/start.ts", "--port", String(opts.port ?? 0)];
  if (opts.dbPath) args.push("--dbpath", opts.dbPath);
  const group = start(args, EMBEDDED_MONGO_DIR);
  const lines: string[] = [];
  track(group.child, lines);
  const exited = group.exited;
  const uri = await waitFor(
    lines,
    exited,
    (l) => /mongodb:\/\/\S+/.exec(l)?.[0] ?? null,
    "embedded-mongo",
  );
  const port = Number(/:(\d+)/.exec(uri.replace("mongodb://", ""))?.[1]);
  return { ...wrap(group, lines), uri, port };
}

export interface ApiChild extends Child {
  url: string;
}

export interface ApiEnv {
  MONGODB_URI: string;
  CONTROL_DB_NAME: string;
  ENCRYPTION_KEY: string;
  JWT_SECRET: string;
  [key: string]: string;
}

/** The API server (by default its production entry, `pnpm --filter @tenantry/api serve`) on an ephemeral port. */
export async function startApiChild(env: ApiEnv, entry: ApiEntry = "main"): Promise<ApiChild> {
  const [cwd, file] =
    entry === "main" ? [API_DIR, "src/server/main.ts"] : [RELIABILITY_DIR, "scripts/api-server.ts"];
  const group = start(["--import", "tsx", file], cwd, {
    // LOG_LEVEL stays at info: the "listening" line (with the ephemeral port) is an info line.
    PATH: process.env.PATH ?? "",
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    ...env,
    LOG_LEVEL: "info",
  });
  const lines: string[] = [];
  track(group.child, lines);
  const exited = group.exited;
  const url = await waitFor(
    lines,
    exited,
    (l) => {
      if (!l.includes("tenantry api listening")) return null;
      try {
        return (JSON.parse(l) as { url?: string }).url ?? null;
      } catch {
        return null;
      }
    },
    "api server",
    60_000,
  );
  return { ...wrap(group, lines), url };
}
