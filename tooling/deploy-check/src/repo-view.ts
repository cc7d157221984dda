import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** What the checks may see of the repository; tests overlay edited copies of single files. */
export interface RepoView {
  read(file: string): string | undefined;
  exists(file: string): boolean;
  isDirectory(file: string): boolean;
  list(dir: string): string[];
}

export function diskRepo(root: string): RepoView {
  const abs = (file: string) => path.resolve(root, file);
  return {
    read: (file) =>
      existsSync(abs(file)) && statSync(abs(file)).isFile()
        ? readFileSync(abs(file), "utf8")
        : undefined,
    exists: (file) => existsSync(abs(file)),
    isDirectory: (file) => existsSync(abs(file)) && statSync(abs(file)).isDirectory(),
    list: (dir) => (existsSync(abs(dir)) ? readdirSync(abs(dir)) : []),
  };
}

/** The same repository with some files replaced (a string) or removed (null). */
export function overlayRepo(base: RepoView, files: Record<string, string | null>): RepoView {
  const has = (file: string) => Object.hasOwn(files, path.normalize(file));
  const get = (file: string) => files[path.normalize(file)];
  return {
    read: (file) => (has(file) ? (get(file) ?? undefined) : base.read(file)),
    exists: (file) => (has(file) ? get(file) !== null : base.exists(file)),
    isDirectory: (file) => base.isDirectory(file),
    list: (dir) => base.list(dir),
  };
}

/** Workspace package names (the folders pnpm-workspace.yaml lists) mapped to their folders. */
export function workspacePackages(repo: RepoView): Map<string, string> {
  const found = new Map<string, string>();
  const manifest = repo.read("pnpm-workspace.yaml") ?? "";
  const block = /^packages:\s*\n((?:\s+-.*\n?)+)/m.exec(manifest)?.[1] ?? "";
  const globs = [...block.matchAll(/-\s*["']?([^"'\s]+)["']?/g)].map((m) => m[1] ?? "");
  const dirs = globs.flatMap((g) =>
    g.endsWith("/*") ? repo.list(g.slice(0, -2)).map((d) => `${g.slice(0, -2)}/${d}`) : [g],
  );
  for (const dir of dirs) {
    const pkg = repo.read(`${dir}/package.json`);
    if (!pkg) continue;
    const { name } = JSON.parse(pkg) as { name?: string };
    if (name) found.set(name, dir);
  }
  return found;
}
