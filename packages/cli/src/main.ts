// `tenantry`: argument checking first (commander; exit 2 before touching configuration), then
// config (exit 4), then one connection through @tenantry/tenancy for the command, always shut
// down cleanly.
import type { Tenancy, TenancyLogger } from "@tenantry/tenancy";
import { createSmtpMailer, createTenancy, TenancyError } from "@tenantry/tenancy";

import { CommanderError } from "commander";

import type { CommandContext, CommandSpec } from "./command";
import { adminCommands } from "./commands/admin";
import { billingCommands } from "./commands/billing";
import { clusterCommands } from "./commands/clusters";
import { keyCommands } from "./commands/keys";
import { tenantCommands } from "./commands/tenants";
import { osUser, readCliConfig } from "./env";
import type { ExitCode } from "./exit-codes";
import { CliError, EXIT, usageError } from "./exit-codes";
import { toJson } from "./output";
import type { Invocation } from "./program";
import { buildProgram, fromCommanderError } from "./program";
import type { ProgressStream } from "./progress";
import { createProgressBar } from "./progress";
import { APP_MODULES } from "@tenantry/api/app-modules";

export const COMMANDS: CommandSpec[] = [
  ...tenantCommands,
  ...clusterCommands,
  ...adminCommands,
  ...keyCommands,
  ...billingCommands,
];

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  stdin: NodeJS.ReadableStream;
}

const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});

export async function run(argv: string[], io: CliIo = processIo()): Promise<ExitCode> {
  // Read before parsing, so that a usage error is reported as JSON too.
  const json = argv.includes("--json");
  const words = argv.filter((a) => !a.startsWith("-"));
  let tenancy: Tenancy | undefined;
  let command: CommandSpec | undefined;
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram(
    COMMANDS,
    (text) => void io.stdout.write(text),
    async (call) => {
      command = call.command;
      const ctx = buildContext(call, json, io, () => connect(io).then((t) => (tenancy = t)));
      const result = await call.command.run(ctx);
      io.stdout.write(json ? toJson(result.json) : result.human);
      exitCode = result.exitCode ?? EXIT.ok;
    },
  );
  try {
    try {
      await program.parseAsync(argv, { from: "user" });
    } catch (err) {
      if (!(err instanceof CommanderError)) throw err;
      const usage = fromCommanderError(err, program, words);
      if (usage === null) return EXIT.ok;
      command ??= COMMANDS.find((c) => c.group === words[0] && c.name === words[1]);
      throw usage;
    }
    return exitCode;
  } catch (err) {
    const error = toCliError(err);
    if (json)
      io.stdout.write(
        toJson({
          error: {
            code: error.code,
            message: error.message,
            exitCode: error.exitCode,
            details: error.details,
          },
        }),
      );
    else {
      io.stderr.write(`tenantry: ${error.message}\n`);
      // Config and validation details are already in the message; help texts are not.
      for (const d of error.details.filter((d) => !error.message.includes(d)))
        io.stderr.write(d.endsWith("\n") ? d : `${d}\n`);
      if (error.exitCode === EXIT.config)
        io.stderr.write(
          "Set them in the environment (names and formats: .env.example, `tenantry --help`).\n",
        );
      if (error.exitCode === EXIT.usage && command && error.details.length === 0) {
        io.stderr.write(
          `Usage: tenantry ${command.group} ${command.name} ${command.usage}\nRun \`tenantry ${command.group} ${command.name} --help\` for details.\n`,
        );
      }
    }
    return error.exitCode;
  } finally {
    if (tenancy) await tenancy.shutdown({ timeoutMs: 5_000 }).catch(() => undefined);
  }
}

function buildContext(
  { values, positionals }: Invocation,
  json: boolean,
  io: CliIo,
  open: () => Promise<Tenancy>,
): CommandContext {
  let connection: Promise<Tenancy> | undefined;
  return {
    values,
    positionals,
    json,
    tenancy: () => (connection ??= open()),
    actor: { type: "cli", id: osUser(), email: null },
    progress: (label, unit) =>
      createProgressBar(label, io.stderr, { enabled: values["no-progress"] !== true, unit }),
    readStdinLine: (what) => readFirstLine(io.stdin, what),
    stderr: io.stderr,
  };
}

async function connect(io: CliIo): Promise<Tenancy> {
  const { mail, billing: _billing, ...config } = readCliConfig();
  const logger: TenancyLogger = {
    info: () => undefined,
    warn: (obj, msg) => io.stderr.write(`tenantry: warning: ${msg ?? ""} ${JSON.stringify(obj)}\n`),
    error: (obj, msg) => io.stderr.write(`tenantry: error: ${msg ?? ""} ${JSON.stringify(obj)}\n`),
  };
  try {
    // A short-lived process: the API's recovery sweep is not the CLI's job.
    // The app's one module list (the api's), so a tenant the CLI provisions or migrates gets the
    // same collections, indexes and migrations as through the api. The CLI mounts no router.
    return await createTenancy({
      ...config,
      modules: APP_MODULES,
      recoverOnStart: false,
      ...(mail.smtpUrl
        ? { mailer: createSmtpMailer({ smtpUrl: mail.smtpUrl, from: mail.from }) }
        : {}),
      logger,
    });
  } catch (err) {
    if (err instanceof TenancyError && err.code === "INVALID_INPUT") {
      throw new CliError(EXIT.config, "CONFIG", `Configuration error: ${err.message}`);
    }
    const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new CliError(
      EXIT.failed,
      "CONTROL_DB_UNREACHABLE",
      `Cannot reach the control database at ${redactUri(config.controlUri)}: ${cause}`,
    );
  }
}

export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof TenancyError) {
    switch (err.code) {
      case "TENANT_NOT_FOUND":
      case "CLUSTER_NOT_FOUND":
      case "NOT_FOUND":
      case "TENANT_DELETED":
        return new CliError(EXIT.notFound, err.code, err.message);
      case "INVALID_INPUT": {
        // Field issues mean the arguments were wrong; none means the tenant's state refused it.
        const issues = (err as TenancyError & { issues?: string[] }).issues ?? [];
        return new CliError(
          issues.length ? EXIT.usage : EXIT.failed,
          err.code,
          err.message,
          issues,
        );
      }
      case "WEAK_PASSWORD": // the argument was wrong: the same policy refuses it in the apps
        return new CliError(EXIT.usage, err.code, err.message);
      default:
        return new CliError(EXIT.failed, err.code, err.message);
    }
  }
  return new CliError(EXIT.failed, "FAILED", (err as Error)?.message ?? String(err));
}

function readFirstLine(stdin: NodeJS.ReadableStream, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const done = () => {
      stdin.off("data", onData);
      stdin.off("end", done);
      stdin.off("error", reject);
      const line = (buf.split(/\r?\n/)[0] ?? "").trim();
      if (line === "") reject(usageError(`--${what}-stdin given but standard input was empty`));
      else resolve(line);
    };
    const onData = (chunk: Buffer | string) => {
      buf += chunk.toString();
      if (buf.includes("\n")) {
        stdin.pause();
        done();
      }
    };
    stdin.on("data", onData);
    stdin.on("end", done);
    stdin.on("error", reject);
  });
}

function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, "//***@");
}
