// Human output: aligned tables and key/value blocks. `--json` bypasses all of this.
export function formatTable(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return "(none)\n";
  const cells = rows.map((r) => columns.map((c) => display(r[c])));
  const widths = columns.map((c, i) =>
    Math.max(c.length, ...cells.map((row) => (row[i] ?? "").length)),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join("\n") + "\n";
}

export function formatRecord(record: Record<string, unknown>, keys?: string[]): string {
  const entries = (keys ?? Object.keys(record)).map((k) => [k, display(record[k])] as const);
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n";
}

function display(value: unknown): string {
  if (value === null || value === undefined) return "-";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.length ? value.map(display).join(", ") : "-";
  if (typeof value === "object") return JSON.stringify(value);
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

/** JSON for scripts: Dates as ISO strings, stable two-space indentation, one document per run. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
