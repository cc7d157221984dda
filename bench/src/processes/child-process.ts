// Spawns one bench actor (database, API, bare handler, recipe) as its own Node process so its RSS
// and sockets are measured apart from the load generator. The child prints `READY <json>` once.
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";

import { startProcessGroup, waitForHttp } from "@tenantry/test-kit";
import type { ProcessGroup } from "@tenantry/test-kit";

const here = path.dirname(fileURLToPath(import.meta.url));
const benchRoot = path.resolve(here, "../..");

export interface Child<T> {
  pid: number;
  info: T;
  /** The child's stderr, kept for error reports. */
  stderr(): string;
  /** Every stdout line after READY. */
  onLine(fn: (line: string) => void): void;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** The compiled standalone API server (`pnpm --filter @tenantry/api build`), what production runs. */
export const API_SERVER_ENTRY = path.resolve(benchRoot, "../packages/api/dist/main.mjs");

/**
 * `script` is relative to this directory or absolute; TypeScript runs through tsx, compiled
 * JavaScript (the API server) on plain Node. Ready when it prints `READY <json>`, or, with
 * `readyUrl`, when that URL answers 200 (info is then `{ url: readyUrl's origin }`). An env with
 * BENCH_PROFILE_FILE preloads the SIGUSR2-toggled CPU profiler (cpu-profiler.mjs).
 */
export async function startChild<T>(
  script: string,
  env: Record<string, string>,
  opts: { readyUrl?: string; timeoutMs?: number } = {},
): Promise<Child<T>> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const entry = path.resolve(here, script);
  // BENCH_CHILD_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the actors.
  // BENCH_API_NODE_ARGS applies to the Tenantry API process only (e.g. V8 heap settings).
  const apiArgs = entry === API_SERVER_ENTRY ? (process.env.BENCH_API_NODE_ARGS ?? "") : "";
  const extra = `${process.env.BENCH_CHILD_NODE_ARGS ?? ""} ${apiArgs}`.split(" ").filter(Boolean);
  const loader = entry.endsWith(".ts") ? ["--import", "tsx"] : [];
  const profiler = env.BENCH_PROFILE_FILE
    ? ["--import", pathToFileURL(path.join(here, "cpu-profiler.mjs")).href]
    : [];
  // In the bench's own process group: a Ctrl-C at the terminal stops the actors too.
  const group = startProcessGroup(process.execPath, [...extra, ...loader, ...profiler, entry], {
    cwd: benchRoot,
    env: { ...process.env, ...env },
    ownGroup: false,
  });
  const proc = group.child;
  let errText = "";
  proc.stderr?.on("data", (d: Buffer) => {
    errText = (errText + d.toString()).slice(-8000);
  });
  const exited = group.exited.then(() => undefined);
  if (opts.readyUrl) {
    const readyUrl = opts.readyUrl;
    let exitNote: string | null = null;
    proc.once(
      "exit",
      (code) => (exitNote = `${script} exited with ${code} before it was ready:\n${errText}`),
    );
    const lines: string[] = [];
    const listeners: ((line: string) => void)[] = [];
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      lines.push(line);
      for (const fn of listeners) fn(line);
    });
    await waitForHttp(readyUrl, {
      timeoutMs,
      intervalMs: 20,
      ready: (status) => status >= 200 && status < 300,
      failed: () => exitNote,
    });
    return wrap(
      group,
      { url: new URL(readyUrl).origin } as T,
      () => errText,
      exited,
      (fn) => {
        for (const line of lines) fn(line);
        listeners.push(fn);
      },
    );
  }
  // Lines after READY are kept so a listener added later still sees them all.
  const listeners: ((line: string) => void)[] = [];
  const seen: string[] = [];
  let ready = false;
  const info = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start in ${timeoutMs} ms:\n${errText}`)),
      timeoutMs,
    );
    const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (ready) {
        seen.push(line);
        for (const fn of listeners) fn(line);
        return;
      }
      if (line.startsWith("READY ")) {
        ready = true;
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(6)) as T);
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${errText}`));
    });
  });
  return wrap(
    group,
    info,
    () => errText,
    exited,
    (fn) => {
      for (const line of seen) fn(line);
      listeners.push(fn);
    },
  );
}

function wrap<T>(
  group: ProcessGroup,
  info: T,
  stderr: () => string,
  exited: Promise<void>,
  onLine: (fn: (line: string) => void) => void = () => undefined,
): Child<T> {
  return { pid: group.pid, info, stderr, exited, onLine, stop: () => group.stop() };
}
