// A one-line progress bar on stderr, drawn only on a terminal: piped or captured output (CI,
// `--json | jq`) stays free of control characters.
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): boolean;
}

export interface ProgressBar {
  /** done/total known: a bar; total null: a counter with the unit. */
  update(done: number, total: number | null, note?: string): void;
  /** Clears the line so the final result prints cleanly. */
  finish(): void;
}

const FRAME_MS = 80;
const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function createProgressBar(
  label: string,
  stream: ProgressStream,
  opts: { enabled?: boolean; unit?: string } = {},
): ProgressBar {
  const enabled = (opts.enabled ?? true) && stream.isTTY === true;
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  const draw = (line: string) => {
    stream.write(`\r\x1b[2K${line}`);
    drawn = true;
  };
  return {
    update(done, total, note) {
      if (!enabled) return;
      const now = Date.now();
      // Redrawing on every item would cost more than the work for fast operations.
      if (drawn && now - lastDraw < FRAME_MS && !(total !== null && done >= total)) return;
      lastDraw = now;
      draw(
        renderProgressLine({
          label,
          done,
          total,
          note,
          elapsedMs: now - started,
          width: stream.columns ?? 80,
          unit: opts.unit,
        }),
      );
    },
    finish() {
      if (enabled && drawn) stream.write("\r\x1b[2K");
    },
  };
}

export function renderProgressLine(p: {
  label: string;
  done: number;
  total: number | null;
  note?: string;
  elapsedMs: number;
  width: number;
  unit?: string;
}): string {
  const secs = `${(p.elapsedMs / 1000).toFixed(1)}s`;
  const note = p.note ? ` ${p.note}` : "";
  if (p.total === null || p.total <= 0) {
    // Unknown total: a count when there is a unit to count, else a spinner that shows it is alive.
    const what = p.unit
      ? `${p.done} ${p.unit}`
      : (SPINNER[Math.floor(p.elapsedMs / FRAME_MS) % SPINNER.length] ?? "");
    return `${p.label} ${what} ${secs}${note}`.slice(0, p.width - 1);
  }
  const ratio = Math.min(Math.max(p.done / p.total, 0), 1);
  const counts = `${p.done}/${p.total}`;
  const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
  const fixed = `${p.label}  ${pct} ${counts} ${secs}${note}`.length + 2;
  const barWidth = Math.max(10, Math.min(40, p.width - 1 - fixed));
  const filled = Math.round(ratio * barWidth);
  const bar = `${"█".repeat(filled)}${"░".repeat(barWidth - filled)}`;
  return `${p.label} ${bar} ${pct} ${counts} ${secs}${note}`.slice(0, p.width - 1);
}
