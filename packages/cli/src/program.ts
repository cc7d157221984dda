// The `tenantry` command tree in commander: parsing, option and argument checks, and help text
// come from it; this file only describes the commands and maps commander's errors to exit 2.
import type { CommanderError } from "commander";
import { Command } from "commander";

import type { CommandSpec, OptionValues } from "./command";
import { EXIT, usageError } from "./exit-codes";

const EXIT_HELP = `Exit codes:
  ${EXIT.ok}  success
  ${EXIT.failed}  the operation failed (state conflict, slug taken, database unreachable, a migration failed)
  ${EXIT.usage}  usage error (unknown command or option, missing or invalid argument)
  ${EXIT.notFound}  tenant or cluster not found
  ${EXIT.config}  configuration error (MONGODB_URI, ENCRYPTION_KEY, TENANTRY_CONTROL_DB)`;

const ENV_HELP = `Configuration (environment, as in .env.example):
  MONGODB_URI          control cluster, e.g. mongodb://127.0.0.1:27017/?replicaSet=rs0   (required)
  ENCRYPTION_KEY       32 bytes, base64; the key the API runs with                       (required)
  TENANTRY_CONTROL_DB  control database name                        (default tenantry_control)
                       (CONTROL_DB_NAME, as the API and apps call it, is accepted too)

For the stack \`npm start\` runs (its key is generated per machine into .data/dev-secrets.json):
  MONGODB_URI=mongodb://127.0.0.1:27017 \\
  ENCRYPTION_KEY=$(node -p 'require("./.data/dev-secrets.json").ENCRYPTION_KEY') \\
  pnpm tenantry tenants list`;

const PROGRESS_HELP =
  "Progress bars (migrate --all, run, export, import, create) are drawn on stderr, only on a terminal.";

/** What the chosen command's action receives from commander, already checked. */
export interface Invocation {
  command: CommandSpec;
  values: OptionValues;
  positionals: string[];
}

/**
 * The program for one run. Output goes through `write`; commander never exits the process or
 * prints errors itself (they come back as CliErrors from `parse`).
 */
export function buildProgram(
  commands: CommandSpec[],
  write: (text: string) => void,
  onInvoke: (call: Invocation) => Promise<void>,
): Command {
  const program = new Command("tenantry")
    .description("operate a Tenantry deployment straight on its databases (no API server needed)")
    .usage("<group> <command> [arguments] [--json]")
    .option(
      "--json",
      'print one JSON document on stdout (errors too: {"error": {code, message, exitCode}})',
    )
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr: () => undefined, outputError: () => undefined })
    .addHelpText("after", `\n${PROGRESS_HELP}\n\n${ENV_HELP}\n\n${EXIT_HELP}\n`);
  program.helpCommand("help [group]", "show help");

  // A group may nest ("admin keys"): its words become a chain of subcommands.
  const groupCommands = new Map<string, Command>();
  const groupCommand = (path: string): Command => {
    const existing = groupCommands.get(path);
    if (existing) return existing;
    const words = path.split(" ");
    const parent = words.length > 1 ? groupCommand(words.slice(0, -1).join(" ")) : program;
    const inGroup = commands.filter((c) => c.group === path).map((c) => c.name);
    const nested = [...new Set(commands.map((c) => c.group))]
      .filter((g) => g.startsWith(`${path} `))
      .map((g) => g.slice(path.length + 1));
    const cmd = parent
      .command(words.at(-1) ?? path)
      .description(`${path}: ${[...inGroup, ...nested].join(", ")}`)
      .usage("<command>")
      .helpCommand(false);
    groupCommands.set(path, cmd);
    return cmd;
  };
  for (const group of [...new Set(commands.map((c) => c.group))]) {
    const inGroup = commands.filter((c) => c.group === group);
    const groupCmd = groupCommand(group);
    for (const spec of inGroup) {
      const cmd = groupCmd
        .command(spec.name)
        .summary(spec.summary)
        .description(`${spec.summary}.${spec.details ? `\n${spec.details}` : ""}`)
        .usage(`${spec.usage ? `${spec.usage} ` : ""}[--json]`)
        .option("--json", "print one JSON document on stdout")
        .option("--no-progress", "draw no progress bar")
        .addHelpText("after", `\n${EXIT_HELP}\n`);
      for (const flags of spec.options) cmd.option(flags);
      for (const arg of spec.positionals) cmd.argument(arg);
      cmd.action(async (...args: unknown[]) => {
        const positionals = args
          .slice(0, spec.positionals.length)
          .filter((a): a is string => typeof a === "string");
        const opts = cmd.opts<OptionValues>();
        // Commands read values by flag name ("owner-email"), as the help shows them.
        const values: OptionValues = { "no-progress": opts.progress === false };
        for (const option of cmd.options)
          if (option.long !== "--no-progress") values[option.name()] = opts[option.attributeName()];
        for (const key of spec.required ?? []) {
          const v = values[key];
          if (typeof v !== "string" || v.trim() === "") throw usageError(`Missing --${key}`);
        }
        await onInvoke({ command: spec, values, positionals });
      });
    }
  }
  return program;
}

/**
 * commander's verdict as the CLI's: help shown (exit 0), a group or the program run without a
 * command (usage error with that level's help), or a usage error worded for people.
 */
export function fromCommanderError(err: CommanderError, program: Command, words: string[]) {
  if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return null;
  if (err.code === "commander.help") {
    const group = program.commands.find((c) => c.name() === words[0]);
    if (err.exitCode === 0) return null;
    return group
      ? usageError(`Missing a ${group.name()} command`, [group.helpInformation()])
      : usageError("No command given", [program.helpInformation()]);
  }
  const message = err.message.replace(/^error: /, "");
  return usageError(message.charAt(0).toUpperCase() + message.slice(1));
}
