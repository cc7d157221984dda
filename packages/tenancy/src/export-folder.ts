// Where tenant export archives wait for their download. An archive holds every user's password
// hash, all notes and pending invites, so it lives in a folder only this process's user can
// open (0700), as a file only that user can read (0600, see tenant-archive.ts), and for a short
// time only: removed after its download, or by a sweep once it is older than the TTL.
// (The turbopackIgnore comments: the folder is chosen at run time, not a file of the build.)
import { chmod, lstat, mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { InvalidInput } from "./errors";

export const EXPORT_FOLDER_MODE = 0o700;
export const EXPORT_FILE_MODE = 0o600;
export const DEFAULT_EXPORT_TTL_MS = 10 * 60_000;
/** Archive names the folder hands out and accepts back: no separators, no dot-dot. */
const ARCHIVE_NAME = /^[a-z0-9][a-z0-9-]*\.tenantry-export$/;

export interface ExportFolder {
  readonly dir: string;
  /** The path of archive `fileName` inside the folder; refuses anything that is not such a name. */
  pathOf(fileName: string): string;
  /** A new archive name for tenant `slug` (unique per call). */
  newName(slug: string): string;
  remove(fileName: string): Promise<void>;
  /** Removes archives older than the TTL; returns how many. */
  sweep(): Promise<number>;
  /** Stops the periodic sweep. */
  close(): void;
}

export interface ExportFolderOptions {
  /** The dedicated folder, absolute (created 0700, or set to 0700). Default: a fresh one under the OS temp dir. */
  dir?: string;
  ttlMs?: number;
  onSweepError?: (err: unknown) => void;
}

export async function openExportFolder(opts: ExportFolderOptions = {}): Promise<ExportFolder> {
  const ttlMs = opts.ttlMs ?? DEFAULT_EXPORT_TTL_MS;
  if (!Number.isInteger(ttlMs) || ttlMs < 1000) throw new Error("export TTL must be at least 1 s");
  if (opts.dir !== undefined && !path.isAbsolute(opts.dir))
    throw new Error(`export folder ${opts.dir} must be an absolute path`);
  const dir = opts.dir ?? (await mkdtemp(path.join(tmpdir(), "tenantry-exports-")));
  await mkdir(dir, { recursive: true, mode: EXPORT_FOLDER_MODE });
  const info = await lstat(dir);
  if (!info.isDirectory()) throw new Error(`export folder ${dir} is not a directory`);
  // mkdir's mode does not apply to a folder that already existed.
  await chmod(dir, EXPORT_FOLDER_MODE);
  let seq = 0;

  const pathOf = (fileName: string): string => {
    if (!ARCHIVE_NAME.test(fileName)) throw new InvalidInput("Not an export archive name");
    return path.join(/* turbopackIgnore: true */ dir, fileName);
  };

  async function sweep(): Promise<number> {
    const cutoff = Date.now() - ttlMs;
    let removed = 0;
    for (const name of await readdir(/* turbopackIgnore: true */ dir)) {
      const file = path.join(/* turbopackIgnore: true */ dir, name);
      const st = await lstat(file).catch(() => null);
      if (st && st.mtimeMs < cutoff) {
        await rm(file, { force: true, recursive: true });
        removed++;
      }
    }
    return removed;
  }

  const run = () => void sweep().catch((err: unknown) => opts.onSweepError?.(err));
  run(); // leftovers of an earlier process
  const timer = setInterval(run, Math.min(ttlMs, 60_000) / 2);
  timer.unref();

  return {
    dir,
    pathOf,
    newName: (slug) =>
      `${slug}-${new Date().toISOString().replace(/[:.]/g, "-").toLowerCase()}-${process.pid}-${seq++}.tenantry-export`,
    remove: (fileName) => rm(pathOf(fileName), { force: true }),
    sweep,
    close: () => clearInterval(timer),
  };
}
