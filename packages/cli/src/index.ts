export { run, COMMANDS, toCliError } from "./main";
export { EXIT, CliError } from "./exit-codes";
export type { ExitCode } from "./exit-codes";
