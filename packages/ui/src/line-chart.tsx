export interface ChartSeries {
  name: string;
  color: string;
  values: number[];
}

/** A small dependency-free SVG line chart; values are plotted left (oldest) to right (newest). */
export function LineChart({
  series,
  height = 160,
  title,
}: {
  series: ChartSeries[];
  height?: number;
  title: string;
}) {
  const width = 600;
  const pad = { l: 40, r: 8, t: 8, b: 20 };
  const len = Math.max(2, ...series.map((s) => s.values.length));
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i: number) => pad.l + (i / (len - 1)) * (width - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - v / max) * (height - pad.t - pad.b);
  const ticks = [0, 0.5, 1].map((f) => Math.round(max * f));
  return (
    <figure style={{ margin: 0 }}>
      <svg
        className="chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={title}
        data-testid="pool-chart"
      >
        <title>{title}</title>
        {ticks.map((t) => (
          <g key={t}>
            <line
              className="grid-line"
              x1={pad.l}
              x2={width - pad.r}
              y1={y(t)}
              y2={y(t)}
              strokeWidth={1}
            />
            <text x={pad.l - 6} y={y(t) + 4} fontSize={10} textAnchor="end" fill="#5d6879">
              {t}
            </text>
          </g>
        ))}
        <line
          className="axis"
          x1={pad.l}
          x2={width - pad.r}
          y1={height - pad.b}
          y2={height - pad.b}
          strokeWidth={1}
        />
        {series.map((s) => (
          <polyline
            key={s.name}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            strokeLinejoin="round"
            points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ")}
            data-series={s.name}
          />
        ))}
        <text x={pad.l} y={height - 4} fontSize={10} fill="#5d6879">
          older
        </text>
        <text x={width - pad.r} y={height - 4} fontSize={10} fill="#5d6879" textAnchor="end">
          now
        </text>
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.name}>
            <i style={{ background: s.color }} />
            {s.name}: {s.values[s.values.length - 1] ?? 0}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
