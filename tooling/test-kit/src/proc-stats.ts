// What Linux says about a process, read from /proc from outside, so the process's own
// accounting cannot fool it: resident memory, open fds, CPU time and its TCP connections.
import { readFile, readdir, readlink } from "node:fs/promises";

export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** Open fds of a process (sockets, files, pipes). */
export async function fdCount(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  await Promise.all(
    fds.map(async (fd) => {
      const m = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ""));
      if (m?.[1]) inodes.add(m[1]);
    }),
  );
  return inodes;
}

/** TCP states as /proc/net/tcp writes them. */
export const TCP = { ESTABLISHED: "01", SYN_SENT: "02" } as const;

/**
 * TCP connections owned by `pid` whose remote port is one of `ports`, in one of `states`
 * (matched by socket inode: /proc/<pid>/net/tcp lists the whole network namespace).
 */
export async function tcpConnectionsTo(
  pid: number,
  ports: number[],
  states: string[] = [TCP.ESTABLISHED],
): Promise<number> {
  const inodes = await socketInodes(pid);
  let count = 0;
  for (const table of ["tcp", "tcp6"]) {
    const text = await readFile(`/proc/${pid}/net/${table}`, "utf8").catch(() => "");
    for (const row of text.split("\n").slice(1)) {
      const [, , remote, state, , , , , , inode] = row.trim().split(/\s+/);
      if (!remote || !state || !inode || !states.includes(state) || !inodes.has(inode)) continue;
      if (ports.includes(parseInt(remote.split(":")[1] ?? "", 16))) count++;
    }
  }
  return count;
}

/** USER_HZ: 100 on Linux on every architecture Node supports. */
const CLOCK_TICKS = 100;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / CLOCK_TICKS;
}
