// What a command declares (fed to commander, which parses, checks and renders help) and what it
// gets and returns when it runs.
import type { AuditActor, Tenancy } from "@tenantry/tenancy";

import type { ExitCode } from "./exit-codes";
import type { ProgressBar, ProgressStream } from "./progress";

/** A repeatable option ("--limit <name=value...>") gives a list. */
export type OptionValues = Record<string, string | string[] | boolean | undefined>;

export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  json: boolean;
  /** Connects on first use (after the arguments have been checked). */
  tenancy(): Promise<Tenancy>;
  actor: AuditActor;
  progress(label: string, unit?: string): ProgressBar;
  /** First line of standard input (for secrets kept off the command line). */
  readStdinLine(what: string): Promise<string>;
  stderr: ProgressStream;
}

interface CommandResult {
  /** What `--json` prints. */
  json: unknown;
  /** What a person sees. */
  human: string;
  /** Defaults to 0; a partial failure (migrate --all) returns 1 with the report. */
  exitCode?: ExitCode;
}

export interface CommandSpec {
  group: string;
  name: string;
  summary: string;
  /** Arguments after `tenantry <group> <name>`, as shown in help. */
  usage: string;
  /** commander flags: "--reason <text>" takes a value, "--force" is a switch. */
  options: string[];
  /** commander arguments: "<tenant>" required, "[tenant]" optional. */
  positionals: string[];
  /** Options that must be present and not blank (checked before any connection). */
  required?: string[];
  details?: string;
  run(ctx: CommandContext): Promise<CommandResult>;
}
