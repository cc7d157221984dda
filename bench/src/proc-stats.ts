// What a process holds, read from /proc: resident memory, and its TCP sockets to a given port
// (matched by socket inode, since /proc/<pid>/net/tcp lists the whole network namespace).
import { readFile, readdir, readlink } from "node:fs/promises";

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const fds = await readdir(`/proc/${pid}/fd`);
  await Promise.all(
    fds.map(async (fd) => {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m?.[1]) inodes.add(m[1]);
    }),
  );
  return inodes;
}

/** Open fds of a process (sockets, files, pipes). */
async function fdCount(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

/** Established (or opening) TCP connections from `pid` to local port `port`. */
async function socketsToPort(pid: number, port: number): Promise<number> {
  const inodes = await socketInodes(pid);
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  let count = 0;
  for (const file of ["tcp", "tcp6"]) {
    const text = await readFile(`/proc/${pid}/net/${file}`, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      const remote = cols[2];
      const state = cols[3];
      const inode = cols[9];
      if (!remote || !inode || !inodes.has(inode)) continue;
      // 01 ESTABLISHED, 02 SYN_SENT; closing states no longer count as held.
      if (remote.endsWith(`:${hexPort}`) && (state === "01" || state === "02")) count++;
    }
  }
  return count;
}

export interface ProcSample {
  rssMb: number;
  dbSockets: number;
  fds: number;
}

export async function sample(pid: number, dbPort: number): Promise<ProcSample> {
  const [rss, dbSockets, fds] = await Promise.all([
    rssBytes(pid),
    socketsToPort(pid, dbPort),
    fdCount(pid),
  ]);
  return { rssMb: rss / (1024 * 1024), dbSockets, fds };
}

/** Runs `tick` every `everyMs` (after the previous one finished) until `stop()`, which waits for the last. */
export function every(everyMs: number, tick: () => Promise<void>): { stop(): Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await tick();
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** Samples every `everyMs` until stopped; keeps the maxima (sockets must never exceed the pool). */
export function watch(pid: number, dbPort: number, everyMs = 250) {
  const peak: ProcSample = { rssMb: 0, dbSockets: 0, fds: 0 };
  const poller = every(everyMs, async () => {
    const s = await sample(pid, dbPort).catch(() => null);
    if (s) {
      peak.rssMb = Math.max(peak.rssMb, s.rssMb);
      peak.dbSockets = Math.max(peak.dbSockets, s.dbSockets);
      peak.fds = Math.max(peak.fds, s.fds);
    }
  });
  return {
    async stop(): Promise<ProcSample> {
      await poller.stop();
      return peak;
    },
  };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / CLOCK_TICKS;
}
/** USER_HZ: 100 on Linux on every architecture Node supports. */
const CLOCK_TICKS = 100;
