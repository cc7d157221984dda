// How every Tenantry process logs, decided in one place: JSON lines for machines (production, or
// output that is not a terminal, e.g. a log collector), pino-pretty's one-line entries for a
// person at a terminal. LOG_FORMAT=json or =pretty overrides the choice (`npm start` passes
// pretty to the processes it pipes to your terminal).
import pino from "pino";
import type { Logger } from "pino";
import pretty from "pino-pretty";

export const LOG_FORMATS = ["json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  /** The `service` field of every entry, e.g. "tenantry-api". */
  service: string;
  level: string;
  nodeEnv: string;
  /** LOG_FORMAT; unset = JSON unless outside production with stdout on a terminal. */
  format?: LogFormat | undefined;
}

export function chooseLogFormat(
  opts: Pick<LoggerOptions, "nodeEnv" | "format">,
  stdoutIsTerminal = process.stdout.isTTY === true,
): LogFormat {
  if (opts.format) return opts.format;
  return opts.nodeEnv !== "production" && stdoutIsTerminal ? "pretty" : "json";
}

export function createLogger(opts: LoggerOptions): Logger {
  const options = { level: opts.level, base: { service: opts.service } };
  if (chooseLogFormat(opts) === "json") return pino(options);
  // A stream in this process, not a pino transport: no worker thread to start, no lines lost on exit.
  return pino(
    options,
    pretty({
      sync: true,
      singleLine: true,
      translateTime: "SYS:HH:MM:ss.l",
      ignore: "pid,hostname,service",
    }),
  );
}
