// Progress on stderr through cli-progress, drawn only on a terminal: piped or captured output
// (CI, `--json | jq`) stays free of control characters (cli-progress draws nothing off a TTY).
import cliProgress from "cli-progress";

const { Format, SingleBar } = cliProgress;

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

export interface ProgressBar {
  /** done/total known: a bar; total null: a counter with the unit (or the elapsed time). */
  update(done: number, total: number | null, note?: string): void;
  /** Draws the final state, then clears the line so the result prints cleanly. */
  finish(): void;
}

interface Payload {
  note: string;
  known: boolean;
}

/**
 * cli-progress moves to column 1 and clears to the right after drawing; this draws every frame
 * as carriage return + erase line instead (what the CLI has always written, and what its pty
 * tests read), so a shorter frame or the result after the bar never leaves stale characters.
 */
function eraseLineFrames(stream: ProgressStream): ProgressStream {
  return {
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    write(chunk) {
      if (chunk === "\x1b[1G") return stream.write("\r\x1b[2K");
      if (chunk === "\x1b[0K" || chunk === "\x1b[2K") return true;
      return stream.write(chunk);
    },
  };
}

export function createProgressBar(
  label: string,
  stream: ProgressStream,
  opts: { enabled?: boolean; unit?: string } = {},
): ProgressBar {
  if (opts.enabled === false || stream.isTTY !== true) return { update() {}, finish() {} };
  const bar = new SingleBar({
    stream: eraseLineFrames(stream) as NodeJS.WritableStream,
    fps: 12,
    barsize: 30,
    barCompleteChar: "█",
    barIncompleteChar: "░",
    // Line wrapping stays as the terminal has it; cli-progress truncates the frame to the width.
    linewrap: true,
    clearOnComplete: true,
    format(options, params, payload: Payload) {
      const secs = `${((Date.now() - params.startTime) / 1000).toFixed(1)}s`;
      const note = payload.note ? ` ${payload.note}` : "";
      if (!payload.known) {
        const what = opts.unit ? ` ${params.value} ${opts.unit}` : "";
        return `${label}${what} ${secs}${note}`;
      }
      const pct = `${Math.floor(params.progress * 100)}%`.padStart(4);
      const counts = `${params.value}/${params.total}`;
      return `${label} ${Format.BarFormat(params.progress, options)} ${pct} ${counts} ${secs}${note}`;
    },
  });
  let started = false;
  return {
    update(done, total, note) {
      const payload: Payload = { note: note ?? "", known: total !== null && total > 0 };
      if (!started) {
        bar.start(total ?? 0, done, payload);
        started = true;
      } else {
        if (total !== null && total !== bar.getTotal()) bar.setTotal(total);
        bar.update(done, payload);
      }
    },
    finish() {
      if (started) bar.stop();
    },
  };
}
