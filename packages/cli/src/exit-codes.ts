// The CLI's contract with scripts: every failure maps to one of these codes (see `tenantry --help`).
export const EXIT = {
  ok: 0,
  /** The operation ran and failed: a state conflict, an unreachable database, a failed migration. */
  failed: 1,
  /** Unknown command or option, a missing or invalid argument. */
  usage: 2,
  /** The tenant or cluster named does not exist (or was purged). */
  notFound: 3,
  /** MONGODB_URI, ENCRYPTION_KEY or TENANTRY_CONTROL_DB missing or invalid. */
  config: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports as-is: its message is for the person at the terminal. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    readonly code: string,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const usageError = (message: string, details: string[] = []) =>
  new CliError(EXIT.usage, "USAGE", message, details);
