import type { CommandSpec } from "./command-spec";
import { EXIT } from "./exit-codes";

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
                       (CONTROL_DB_NAME, as the API and apps call it, is accepted too)`;

export function mainHelp(commands: CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => `${c.group} ${c.name}`.length));
  const lines = commands.map((c) => `  ${`${c.group} ${c.name}`.padEnd(width)}  ${c.summary}`);
  return `tenantry — operate a Tenantry deployment straight on its databases (no API server needed)

Usage: tenantry <group> <command> [arguments] [--json]
       tenantry <group> <command> --help

Commands:
${lines.join("\n")}

Global options:
  --json     print one JSON document on stdout (errors too: {"error": {code, message, exitCode}})
  -h, --help show help

Progress bars (migrate --all, export, import, create) are drawn on stderr, only on a terminal.

${ENV_HELP}

${EXIT_HELP}
`;
}

export function commandHelp(c: CommandSpec): string {
  return `Usage: tenantry ${c.group} ${c.name}${c.usage ? ` ${c.usage}` : ""} [--json]

${c.summary}.${c.details ? `\n${c.details}` : ""}

${EXIT_HELP}
`;
}

export function groupHelp(group: string, commands: CommandSpec[]): string {
  const inGroup = commands.filter((c) => c.group === group);
  return `Usage: tenantry ${group} <command>

${inGroup.map((c) => `  ${c.name.padEnd(8)}  ${c.summary}\n      tenantry ${group} ${c.name} ${c.usage}`).join("\n")}

Run \`tenantry ${group} <command> --help\` for details.
`;
}
