import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";

// One server per dbPath: two servers appending to the same journals would corrupt them.
//
// Node has no flock/fcntl, so the lock is a file created with O_EXCL that names its owner by pid
// *and* process start time (field 22 of /proc/<pid>/stat). The owner counts as alive only if that
// pid exists, is not a zombie, and started at that time: a server killed with -9 whose parent has
// not reaped it yet (a zombie), or whose pid the OS has since given to another process, no longer
// holds the lock, so a restart right after a crash always works. Where /proc is missing
// (not Linux), liveness falls back to `kill(pid, 0)`.

const LOCK_FILE = "mongod.lock";
const lockedHere = new Set<string>();

interface Owner {
  pid: number;
  /** Start time in clock ticks since boot, or undefined where /proc is unavailable. */
  start?: string;
}

/** State and start time of a process from /proc, or undefined if it does not exist. */
function procStat(pid: number): { state: string; start: string } | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields resume after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", start: fields[19] ?? "" };
}

const hasProc = fs.existsSync("/proc/self/stat");

function currentOwner(): Owner {
  return { pid: process.pid, start: hasProc ? procStat(process.pid)?.start : undefined };
}

function parseOwner(text: string): Owner | undefined {
  try {
    const v = JSON.parse(text) as Partial<Owner>;
    if (typeof v.pid === "number" && Number.isInteger(v.pid) && v.pid > 0)
      return { pid: v.pid, start: typeof v.start === "string" ? v.start : undefined };
  } catch {
    // Earlier versions wrote the bare pid.
    const pid = Number(text.trim());
    if (Number.isInteger(pid) && pid > 0) return { pid };
  }
  return undefined;
}

function isOwnerAlive(owner: Owner): boolean {
  if (hasProc) {
    const stat = procStat(owner.pid);
    if (!stat || stat.state === "Z" || stat.state === "X") return false;
    // A lock without a start time (an older server's) can only be checked by pid.
    return owner.start === undefined || stat.start === owner.start;
  }
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  return fsp.readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
}

export async function lockDirectory(dir: string): Promise<void> {
  const key = path.resolve(dir);
  const lock = path.join(dir, LOCK_FILE);
  if (lockedHere.has(key))
    throw new Error(`dbPath ${dir} is already in use by another server in this process`);
  const me = JSON.stringify(currentOwner());
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fh = await fsp.open(lock, "wx", 0o644);
      try {
        await fh.writeFile(me);
        await fh.sync();
      } finally {
        await fh.close();
      }
      lockedHere.add(key);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const seen = await readIfExists(lock);
    if (seen === undefined) continue;
    const owner = parseOwner(seen);
    if (owner && isOwnerAlive(owner))
      throw new Error(`dbPath ${dir} is in use by process ${owner.pid} (${lock})`);
    // A stale lock: move it aside (only one of several starters can), then check that what was
    // moved is the stale lock and not a live server's that replaced it in between.
    const aside = `${lock}.stale-${process.pid}-${attempt}`;
    try {
      await fsp.rename(lock, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw err;
    }
    const moved = await readIfExists(aside);
    if (moved !== seen) {
      await fsp.link(aside, lock).catch(() => undefined);
      await fsp.rm(aside, { force: true });
      continue;
    }
    await fsp.rm(aside, { force: true });
  }
  throw new Error(`dbPath ${dir}: could not take ${lock}`);
}

export async function unlockDirectory(dir: string): Promise<void> {
  lockedHere.delete(path.resolve(dir));
  await fsp.rm(path.join(dir, LOCK_FILE), { force: true });
}
