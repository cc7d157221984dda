// A Dockerfile reader that follows the reference's lexical rules (parser directives, comments,
// backslash continuations, exec vs shell form, --flags) closely enough to check our own files.

export const KNOWN_INSTRUCTIONS = new Set([
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR",
]);

export interface Instruction {
  /** Upper-cased keyword as written (unknown keywords are kept so a check can report them). */
  name: string;
  /** `--name=value` flags before the arguments (COPY --from, RUN --mount, ...). */
  flags: Record<string, string>;
  /** Arguments after the flags, continuation lines joined. */
  args: string;
  /** Parsed JSON array when the arguments are in exec form. */
  json?: string[];
  line: number;
}

interface Stage {
  /** Image or earlier stage this stage starts from, with ARG defaults substituted. */
  base: string;
  name?: string;
  index: number;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM (usable in FROM lines). */
  globalArgs: Record<string, string>;
  stages: Stage[];
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r?\n/);
  const instructions: Instruction[] = [];
  let buffer = "";
  let startLine = 0;
  let inDirectives = true;

  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (inDirectives && /^#\s*[a-z]+\s*=/.test(trimmed)) return;
    inDirectives = false;
    // Comment lines are removed before continuation handling, even inside a continued instruction.
    if (trimmed.startsWith("#")) return;
    if (buffer === "" && trimmed === "") return;
    if (buffer === "") startLine = i + 1;
    if (trimmed.endsWith("\\")) {
      buffer += trimmed.slice(0, -1);
      return;
    }
    buffer += trimmed;
    if (buffer.trim() !== "") instructions.push(parseInstruction(buffer.trim(), startLine));
    buffer = "";
  });
  if (buffer.trim() !== "") instructions.push(parseInstruction(buffer.trim(), startLine));

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.name === "FROM") {
      const [image = "", as, name] = ins.args.split(/\s+/);
      const stage: Stage = {
        base: substitute(image, globalArgs),
        index: stages.length,
        instructions: [ins],
      };
      if (as?.toUpperCase() === "AS" && name) stage.name = name;
      stages.push(stage);
    } else if (stages.length === 0) {
      if (ins.name === "ARG") {
        const [key = "", value = ""] = ins.args.split("=", 2);
        globalArgs[key.trim()] = value.trim();
      }
    } else {
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return { globalArgs, stages, instructions };
}

function parseInstruction(text: string, line: number): Instruction {
  const match = /^(\S+)\s*(.*)$/s.exec(text);
  const name = (match?.[1] ?? "").toUpperCase();
  let rest = match?.[2] ?? "";
  const flags: Record<string, string> = {};
  // HEALTHCHECK's flags come before CMD; RUN/COPY/ADD/FROM take --flag=value too.
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest);
    if (!flag?.[1]) break;
    flags[flag[1]] = flag[2] ?? "true";
    rest = rest.slice(flag[0].length);
  }
  const ins: Instruction = { name, flags, args: rest.trim(), line };
  const jsonText = name === "HEALTHCHECK" ? rest.replace(/^CMD\s+/i, "") : rest;
  if (jsonText.trim().startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(jsonText);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === "string")) ins.json = parsed;
    } catch {
      // Not valid JSON: Docker runs it in shell form, which a check may refuse.
    }
  }
  return ins;
}

/** `${NAME}` / `$NAME` replaced by ARG defaults (what Docker does for FROM lines). */
function substitute(value: string, args: Record<string, string>): string {
  return value.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (whole, key: string) => args[key] ?? whole,
  );
}

/** COPY/ADD arguments: every entry but the last is a source. */
export function copySources(ins: Instruction): string[] {
  const parts = ins.json ?? ins.args.split(/\s+/);
  return parts.slice(0, -1);
}
