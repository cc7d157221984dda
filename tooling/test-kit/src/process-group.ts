// A server under test as a child process in its own process group, so stopping it stops
// everything it started (`next start` forks workers) and SIGKILL reaches the server itself.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";

export interface ProcessGroup {
  child: ChildProcess;
  /** The group leader's pid: the process that was started. */
  pid: number;
  /** Resolves with the exit code (null when killed by a signal) once the leader has exited. */
  exited: Promise<number | null>;
  /** Signals the group and waits `graceMs` for the exit; then SIGKILLs it. */
  stop(opts?: { signal?: NodeJS.Signals; graceMs?: number }): Promise<void>;
}

export interface ProcessGroupOptions {
  cwd?: string;
  /** The child's whole environment (not merged with this process's). */
  env?: NodeJS.ProcessEnv;
  /** Writes the child's stdout and stderr here; otherwise they stay readable pipes on `child`. */
  logFile?: string;
  /**
   * Its own process group (the default), so `stop` reaches every process it started. `false`
   * leaves it in ours, so a Ctrl-C at the terminal stops it too, and `stop` signals it alone.
   */
  ownGroup?: boolean;
}

/** Groups still running; SIGKILLed if this process exits first (a crashed or aborted run). */
const live = new Set<number>();
process.once("exit", () => {
  for (const pid of live) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

export function startProcessGroup(
  command: string,
  args: string[],
  opts: ProcessGroupOptions = {},
): ProcessGroup {
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: opts.ownGroup ?? true,
  });
  if (child.pid === undefined) throw new Error(`${command} did not start`);
  const pid = child.pid;
  const target = opts.ownGroup === false ? pid : -pid;
  if (target < 0) live.add(pid);
  if (opts.logFile) {
    const log = createWriteStream(opts.logFile);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  let done = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      done = true;
      live.delete(pid);
      resolve(code);
    }),
  );
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  };
  return {
    child,
    pid,
    exited,
    async stop({ signal = "SIGTERM", graceMs = 5_000 } = {}) {
      if (done) return;
      kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), graceMs)));
      if ((await Promise.race([exited, late])) === "late") {
        kill("SIGKILL");
        await exited;
      }
      clearTimeout(timer);
    },
  };
}
