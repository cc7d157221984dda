"use client";
import {
  CartesianGrid,
  Line,
  LineChart as RechartsLineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { LineDrawShapeProps } from "recharts";

export interface ChartSeries {
  name: string;
  color: string;
  values: number[];
}

// The palette of styles.css (--muted, --border, --surface-2); SVG attributes cannot read CSS vars.
const MUTED = "#5d6879";
const AXIS = "#dde1e7";
const GRID = "#f1f3f6";
const TICK = { fontSize: 13, fill: MUTED };

/** Straight segments between samples, drawn as one polyline per series. */
function SeriesLine({ points, stroke, name }: LineDrawShapeProps & { name: string }) {
  const coords = (points ?? []).flatMap((p) =>
    p.x === null || p.y === null ? [] : [`${p.x},${p.y}`],
  );
  return (
    <polyline
      fill="none"
      stroke={stroke}
      strokeWidth={2}
      strokeLinejoin="round"
      points={coords.join(" ")}
      data-series={name}
    />
  );
}

/**
 * Line chart on Recharts: values are plotted left (oldest) to right (newest), with axes, a
 * tooltip (also reachable with the arrow keys) and the same figures in a table for screen readers.
 * `labels` names each sample on the x axis, in the tooltip and in the table.
 */
export function LineChart({
  series,
  labels,
  height = 160,
  title,
  testId = "pool-chart",
}: {
  series: ChartSeries[];
  labels?: string[];
  height?: number;
  title: string;
  testId?: string;
}) {
  const len = Math.max(0, ...series.map((s) => s.values.length));
  const label = (i: number) => labels?.[i] ?? String(i + 1);
  const rows = Array.from({ length: len }, (_, i) => ({
    label: label(i),
    ...Object.fromEntries(series.map((s) => [s.name, s.values[i] ?? 0])),
  }));
  return (
    <figure style={{ margin: 0 }} data-testid={testId}>
      {/* The chart scales with its width like the old 600-wide viewBox did. */}
      <ResponsiveContainer width="100%" aspect={600 / height}>
        <RechartsLineChart
          data={rows}
          title={title}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        >
          <CartesianGrid vertical={false} stroke={GRID} />
          <XAxis
            dataKey="label"
            tick={TICK}
            stroke={AXIS}
            tickLine={false}
            interval="preserveStartEnd"
            minTickGap={24}
          />
          {/* Three ticks (0, half, max) and no vertical axis line, as the chart always had. */}
          <YAxis
            width={40}
            tick={TICK}
            tickCount={3}
            allowDecimals={false}
            axisLine={false}
            tickLine={false}
          />
          <Tooltip
            isAnimationActive={false}
            // Series in the order given, not sorted by name.
            itemSorter={(item) => series.findIndex((s) => s.name === item.name)}
            contentStyle={{ borderRadius: 8, borderColor: AXIS, fontSize: 13 }}
          />
          {series.map((s) => (
            <Line
              key={s.name}
              dataKey={s.name}
              name={s.name}
              type="linear"
              stroke={s.color}
              dot={false}
              isAnimationActive={false}
              shape={(props: LineDrawShapeProps) => <SeriesLine {...props} name={s.name} />}
            />
          ))}
        </RechartsLineChart>
      </ResponsiveContainer>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.name}>
            <i style={{ background: s.color }} />
            {s.name}: {s.values[s.values.length - 1] ?? 0}
          </span>
        ))}
      </figcaption>
      {/* A table grows to its content whatever its width says: the hidden box around it is what
          keeps the page from scrolling sideways on a phone. */}
      <div className="sr-only">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Sample</th>
              {series.map((s) => (
                <th key={s.name} scope="col">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <th scope="row">{r.label}</th>
                {series.map((s) => (
                  <td key={s.name}>{s.values[i] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
