// What the operating system says about a process (Linux /proc): resident memory and the TCP
// sockets it holds open to a given port. Read from outside, so it cannot be fooled by the
// process's own accounting.
import { readFile, readdir, readlink } from "node:fs/promises";

export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m?.[1]) inodes.add(m[1]);
  }
  return inodes;
}

/** Established TCP connections owned by `pid` whose remote port is one of `ports`. */
export async function establishedSocketsTo(pid: number, ports: number[]): Promise<number> {
  const inodes = await socketInodes(pid);
  let count = 0;
  for (const table of [`/proc/${pid}/net/tcp`, `/proc/${pid}/net/tcp6`]) {
    const text = await readFile(table, "utf8").catch(() => "");
    for (const row of text.split("\n").slice(1)) {
      const cols = row.trim().split(/\s+/);
      const remote = cols[2];
      const state = cols[3];
      const inode = cols[9];
      if (!remote || state !== "01" || !inode || !inodes.has(inode)) continue;
      const port = parseInt(remote.split(":")[1] ?? "", 16);
      if (ports.includes(port)) count++;
    }
  }
  return count;
}
