// The report's charts: grouped bars (one group per category, one bar per series) with value
// labels and an optional dashed goal line, described in Vega-Lite and rendered to SVG by Vega in
// Node (no canvas: Vega estimates text widths itself).
import { parse, View } from "vega";
import type { TopLevelSpec } from "vega-lite";
import { compile } from "vega-lite";

export interface BarChartSpec {
  title: string;
  yLabel: string;
  categories: string[];
  series: { name: string; values: number[] }[];
  /** A horizontal reference line, e.g. a goal. */
  goal?: { value: number; label: string };
  /** Digits after the point in bar labels. */
  digits?: number;
}

const PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6"];

function label(v: number, digits: number): string {
  return digits === 0 ? Math.round(v).toLocaleString("en-US") : v.toFixed(digits);
}

function barChartSpec(spec: BarChartSpec): TopLevelSpec {
  const digits = spec.digits ?? 0;
  const names = spec.series.map((s) => s.name);
  const rows = spec.series.flatMap((s) =>
    spec.categories.flatMap((category, i) => {
      const value = s.values[i];
      // A missing figure (NaN: not measured) gets no bar, and says so instead of showing zero.
      return value !== undefined && Number.isFinite(value)
        ? [{ category, series: s.name, value, label: label(value, digits) }]
        : [{ category, series: s.name, value: 0, label: "n/a" }];
    }),
  );
  const x = {
    field: "category",
    type: "nominal" as const,
    sort: spec.categories,
    axis: { labelAngle: 0, title: null },
  };
  const grouped = {
    x,
    xOffset: { field: "series", sort: names },
    y: { field: "value", type: "quantitative" as const, title: spec.yLabel },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: spec.title, fontSize: 16 },
    width: 640,
    height: 260,
    background: "#ffffff",
    config: { font: "system-ui, sans-serif", view: { stroke: null } },
    layer: [
      {
        data: { values: rows },
        mark: { type: "bar" },
        encoding: {
          ...grouped,
          color: {
            field: "series",
            sort: names,
            scale: { range: PALETTE.slice(0, Math.max(1, names.length)) },
            legend: { orient: "bottom", title: null, labelLimit: 400 },
          },
          tooltip: [
            { field: "series", title: "series" },
            { field: "category", title: "at" },
            { field: "label", title: "value" },
          ],
        },
      },
      {
        data: { values: rows },
        mark: { type: "text", dy: -6, fontSize: 10, color: "#111827" },
        encoding: { ...grouped, text: { field: "label" } },
      },
      ...(spec.goal
        ? [
            {
              data: { values: [{ goal: spec.goal.value, text: spec.goal.label }] },
              layer: [
                {
                  mark: { type: "rule" as const, color: "#dc2626", strokeDash: [6, 4] },
                  encoding: { y: { field: "goal", type: "quantitative" as const } },
                },
                {
                  mark: {
                    type: "text" as const,
                    color: "#dc2626",
                    align: "right" as const,
                    dy: -6,
                    x: "width" as const,
                  },
                  encoding: {
                    y: { field: "goal", type: "quantitative" as const },
                    text: { field: "text" },
                  },
                },
              ],
            },
          ]
        : []),
    ],
  };
}

export async function barChart(spec: BarChartSpec): Promise<string> {
  const view = new View(parse(compile(barChartSpec(spec)).spec), { renderer: "none" });
  try {
    return `${await view.toSVG()}\n`;
  } finally {
    view.finalize();
  }
}
