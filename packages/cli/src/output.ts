// Human output: aligned tables and key/value blocks (cli-table3, drawn without borders, the way
// kubectl and docker print lists). `--json` bypasses all of this.
import Table from "cli-table3";

const NO_BORDERS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

function render(head: string[], rows: string[][]): string {
  const table = new Table({
    head,
    chars: NO_BORDERS,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
  });
  table.push(...rows);
  return (
    table
      .toString()
      .split("\n")
      .map((l) => l.trimEnd())
      .join("\n") + "\n"
  );
}

export function formatTable(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return "(none)\n";
  return render(
    columns.map((c) => c.toUpperCase()),
    rows.map((r) => columns.map((c) => display(r[c]))),
  );
}

export function formatRecord(record: Record<string, unknown>, keys?: string[]): string {
  return render(
    [],
    (keys ?? Object.keys(record)).map((k) => [k, display(record[k])]),
  );
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
