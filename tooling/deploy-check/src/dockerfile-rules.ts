import { isIgnored } from "./dockerignore";
import type { Dockerfile, Instruction } from "./dockerfile";
import { copySources, KNOWN_INSTRUCTIONS, parseDockerfile } from "./dockerfile";
import type { RepoView } from "./repo-view";
import { workspacePackages } from "./repo-view";

export interface ImageSpec {
  /** Dockerfile path relative to the repository root (the build context). */
  dockerfile: string;
  /** Workspace package the image runs, e.g. "@tenantry/web". */
  pkg: string;
}

export interface DockerfileReport {
  problems: string[];
  parsed?: Dockerfile;
  /** EXPOSE ports of the final stage. */
  exposed: number[];
}

/** Checks one Dockerfile against the repository it builds from. */
export function checkDockerfile(repo: RepoView, spec: ImageSpec): DockerfileReport {
  const problems: string[] = [];
  const where = (ins: Instruction) => `${spec.dockerfile}:${ins.line}`;
  const text = repo.read(spec.dockerfile);
  if (text === undefined) return { problems: [`${spec.dockerfile} does not exist`], exposed: [] };
  const df = parseDockerfile(text);

  for (const ins of df.instructions) {
    if (!KNOWN_INSTRUCTIONS.has(ins.name))
      problems.push(`${where(ins)}: unknown instruction ${ins.name}`);
    if (ins.args === "") problems.push(`${where(ins)}: ${ins.name} has no arguments`);
  }
  const first = df.instructions.find((i) => i.name !== "ARG");
  if (first?.name !== "FROM")
    problems.push(`${spec.dockerfile}: the first instruction after global ARGs must be FROM`);

  const stageNames = new Set<string>();
  for (const stage of df.stages) {
    const from = stage.instructions[0];
    if (from && stage.base.includes("$"))
      problems.push(`${where(from)}: FROM ${stage.base} uses an ARG with no default`);
    const isStage = stageNames.has(stage.base);
    if (!isStage && !/^[a-z0-9./_-]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/.test(stage.base) && from) {
      problems.push(
        `${where(from)}: FROM ${stage.base} is neither an earlier stage nor an image reference`,
      );
    }
    if (stage.name) {
      if (stageNames.has(stage.name) && from)
        problems.push(`${where(from)}: stage name ${stage.name} used twice`);
      stageNames.add(stage.name);
    }
    for (const ins of stage.instructions) {
      if (ins.name !== "COPY" && ins.name !== "ADD") continue;
      const fromStage = ins.flags.from;
      if (fromStage !== undefined) {
        // Only stages declared earlier (by name or index) can be copied from.
        const earlier = df.stages
          .slice(0, stage.index)
          .some((s) => s.name === fromStage || String(s.index) === fromStage);
        if (!earlier)
          problems.push(`${where(ins)}: COPY --from=${fromStage} names no earlier stage`);
        continue;
      }
      const sources = copySources(ins);
      if (sources.length === 0)
        problems.push(`${where(ins)}: ${ins.name} needs a source and a destination`);
      for (const src of sources) {
        if (src === "." || src === "./") continue;
        if (!repo.exists(src))
          problems.push(
            `${where(ins)}: ${ins.name} source ${src} does not exist in the repository`,
          );
        else if (isIgnored(src, repo.read(".dockerignore") ?? "")) {
          problems.push(`${where(ins)}: ${ins.name} source ${src} is excluded by .dockerignore`);
        }
      }
    }
  }

  const final = df.stages.at(-1);
  const exposed: number[] = [];
  if (!final)
    return { problems: [...problems, `${spec.dockerfile}: no FROM stage`], parsed: df, exposed };
  if (!/^node:20[\w.-]*-slim$/.test(final.base) && !/^node:20[\w.-]*slim/.test(final.base)) {
    problems.push(`${spec.dockerfile}: the runtime stage must be Node 20 slim, not ${final.base}`);
  }
  const user = final.instructions.filter((i) => i.name === "USER").at(-1)?.args;
  if (!user || /^(root|0)(:|$)/.test(user))
    problems.push(`${spec.dockerfile}: the runtime stage must switch to a non-root USER`);
  for (const ins of final.instructions.filter((i) => i.name === "EXPOSE")) {
    for (const port of ins.args.split(/\s+/)) {
      const n = Number(port.replace(/\/tcp$/, ""));
      if (!Number.isInteger(n) || n <= 0 || n > 65535)
        problems.push(`${where(ins)}: EXPOSE ${port} is not a port`);
      else exposed.push(n);
    }
  }
  if (exposed.length === 0) problems.push(`${spec.dockerfile}: the runtime stage exposes no port`);
  const cmd = final.instructions.filter((i) => i.name === "CMD").at(-1);
  if (!cmd?.json)
    problems.push(
      `${spec.dockerfile}: the runtime CMD must use exec (JSON) form so SIGTERM reaches node`,
    );

  problems.push(...checkToolchain(repo, df, spec));
  problems.push(...checkRuntimeCommand(repo, df, spec, exposed));
  return { problems, parsed: df, exposed };
}

/** The pnpm pin and install flags that docs/toolchain.md requires; filters name real packages. */
function checkToolchain(repo: RepoView, df: Dockerfile, spec: ImageSpec): string[] {
  const problems: string[] = [];
  const runs = df.instructions.filter((i) => i.name === "RUN").map((i) => i.args);
  const manifest = JSON.parse(repo.read("package.json") ?? "{}") as { packageManager?: string };
  const pnpmVersion = manifest.packageManager?.replace(/^pnpm@/, "");
  if (!runs.some((r) => r.includes(`npm i -g --allow-scripts=pnpm pnpm@${pnpmVersion}`))) {
    problems.push(
      `${spec.dockerfile}: pnpm must be installed with \`npm i -g --allow-scripts=pnpm pnpm@${pnpmVersion}\` (root packageManager)`,
    );
  }
  if (!runs.some((r) => /pnpm install\b[^&]*--frozen-lockfile/.test(r))) {
    problems.push(`${spec.dockerfile}: no \`pnpm install --frozen-lockfile\``);
  }
  const packages = workspacePackages(repo);
  for (const run of runs) {
    for (const m of run.matchAll(/--filter[ =]"?([@\w/.-]+?)(?:\.\.\.)?"?(?=\s|$)/g)) {
      if (m[1] && !packages.has(m[1]))
        problems.push(`${spec.dockerfile}: --filter ${m[1]} names no workspace package`);
    }
  }
  if (!packages.has(spec.pkg))
    problems.push(`${spec.dockerfile}: ${spec.pkg} is not a workspace package`);
  if (!runs.some((r) => r.includes(spec.pkg)))
    problems.push(`${spec.dockerfile}: never installs or builds ${spec.pkg}`);
  const lock = repo.read("pnpm-lock.yaml") ?? "";
  for (const run of runs) {
    for (const m of run.matchAll(/npm i(?:nstall)? -g (?:--[\w=-]+ )*(tsx)@(\S+)/g)) {
      if (!lock.includes(`${m[1]}@${m[2]}`))
        problems.push(
          `${spec.dockerfile}: ${m[1]}@${m[2]} differs from the version in pnpm-lock.yaml`,
        );
    }
  }
  return problems;
}

/** The runtime stage starts the package the image is for, on the port it exposes. */
function checkRuntimeCommand(
  repo: RepoView,
  df: Dockerfile,
  spec: ImageSpec,
  exposed: number[],
): string[] {
  const problems: string[] = [];
  const final = df.stages.at(-1);
  const cmd = final?.instructions.filter((i) => i.name === "CMD").at(-1)?.json;
  const workdir = final?.instructions.filter((i) => i.name === "WORKDIR").at(-1)?.args;
  const dir = workspacePackages(repo).get(spec.pkg);
  if (!cmd || !dir) return problems;
  if (workdir !== `/app/${dir}`)
    problems.push(`${spec.dockerfile}: the runtime WORKDIR should be /app/${dir}, is ${workdir}`);
  const manifest = JSON.parse(repo.read(`${dir}/package.json`) ?? "{}") as {
    scripts?: Record<string, string>;
  };
  // A Next app: `next start`, or the apps' own launcher of it (@tenantry/api's next-serve).
  if (cmd.some((c) => c.includes("next/dist/bin/next") || c.endsWith("bin/next-serve.mjs"))) {
    const port = Number(cmd[cmd.indexOf("--port") + 1]);
    if (!exposed.includes(port))
      problems.push(`${spec.dockerfile}: CMD listens on ${port}, EXPOSE says ${exposed.join(",")}`);
    if (cmd[cmd.indexOf("--hostname") + 1] !== "0.0.0.0")
      problems.push(`${spec.dockerfile}: next start must bind 0.0.0.0 in a container`);
    if (!manifest.scripts?.build?.includes("next build"))
      problems.push(`${spec.dockerfile}: ${spec.pkg} has no \`next build\` script`);
  } else if (cmd[0] === "tsx") {
    // The image runs what `pnpm --filter <pkg> serve` runs (flags such as --import included), so
    // both stay one program.
    const serve = manifest.scripts?.serve;
    const args = cmd.slice(1);
    if (!serve?.includes(`tsx ${args.join(" ")}`))
      problems.push(
        `${spec.dockerfile}: CMD runs tsx ${args.join(" ")}, but ${spec.pkg}'s serve script is \`${serve}\``,
      );
    const files = args.filter((a, i) => i === args.length - 1 || args[i - 1] === "--import");
    for (const file of files)
      if (!repo.exists(`${dir}/${file.replace(/^\.\//, "")}`))
        problems.push(`${spec.dockerfile}: ${dir}/${file} does not exist`);
  } else if (cmd[0] === "node") {
    // A compiled server: the image runs what the serve script runs, and builds it first.
    const serve = manifest.scripts?.serve;
    const entry = cmd.slice(1).join(" ");
    if (!serve?.includes(`node ${entry}`))
      problems.push(
        `${spec.dockerfile}: CMD runs node ${entry}, but ${spec.pkg}'s serve script is \`${serve}\``,
      );
    const runs = df.instructions.filter((i) => i.name === "RUN").map((i) => i.args);
    const builds = new RegExp(`--filter[ =]"?${spec.pkg.replace(/[/.]/g, "\\$&")}"? build\\b`);
    if (!manifest.scripts?.build)
      problems.push(`${spec.dockerfile}: ${spec.pkg} has no build script for CMD's ${entry}`);
    else if (!runs.some((r) => builds.test(r)))
      problems.push(`${spec.dockerfile}: CMD runs ${entry}, but no RUN builds ${spec.pkg}`);
  } else {
    problems.push(`${spec.dockerfile}: unexpected runtime command ${cmd.join(" ")}`);
  }
  return problems;
}
