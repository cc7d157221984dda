// Hand-written SVG grouped bar charts: one group per category, one bar per series, value labels
// on the bars, an optional dashed goal line. Plain strings, no chart library.
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

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * exp >= v) return m * exp;
  return 10 * exp;
}

function fmt(v: number, digits: number): string {
  if (!Number.isFinite(v)) return "n/a";
  return v >= 1000 && digits === 0 ? Math.round(v).toLocaleString("en-US") : v.toFixed(digits);
}

export function barChart(spec: BarChartSpec): string {
  const W = 760;
  const H = 380;
  const m = { top: 56, right: 20, bottom: 70, left: 70 };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const digits = spec.digits ?? 0;
  const all = spec.series.flatMap((s) => s.values.filter(Number.isFinite));
  const top = niceMax(Math.max(...all, spec.goal?.value ?? 0, 0) * 1.08);
  const y = (v: number) => m.top + plotH - (Math.max(0, v) / top) * plotH;
  const groupW = plotW / Math.max(1, spec.categories.length);
  const barW = Math.min(56, (groupW * 0.8) / Math.max(1, spec.series.length));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16" font-weight="600">${esc(spec.title)}</text>`,
  );
  for (let i = 0; i <= 5; i++) {
    const v = (top / 5) * i;
    const yy = y(v);
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${yy}" y2="${yy}" stroke="#e5e7eb"/>`);
    out.push(
      `<text x="${m.left - 6}" y="${yy + 4}" text-anchor="end" fill="#374151">${esc(fmt(v, top < 10 ? 1 : 0))}</text>`,
    );
  }
  out.push(
    `<text transform="translate(16 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#374151">${esc(spec.yLabel)}</text>`,
  );
  spec.categories.forEach((cat, ci) => {
    const gx = m.left + groupW * ci + (groupW - barW * spec.series.length) / 2;
    spec.series.forEach((s, si) => {
      const v = s.values[ci] ?? NaN;
      const x = gx + barW * si;
      const color = PALETTE[si % PALETTE.length] ?? "#2563eb";
      if (Number.isFinite(v)) {
        out.push(
          `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${(m.top + plotH - y(v)).toFixed(1)}" fill="${color}"><title>${esc(`${s.name}, ${cat}: ${fmt(v, digits)}`)}</title></rect>`,
        );
      }
      out.push(
        `<text x="${(x + (barW - 4) / 2).toFixed(1)}" y="${(Number.isFinite(v) ? y(v) : m.top + plotH) - 4}" text-anchor="middle" font-size="10" fill="#111827">${esc(fmt(v, digits))}</text>`,
      );
    });
    out.push(
      `<text x="${(m.left + groupW * ci + groupW / 2).toFixed(1)}" y="${m.top + plotH + 18}" text-anchor="middle" fill="#111827">${esc(cat)}</text>`,
    );
  });
  out.push(
    `<line x1="${m.left}" x2="${W - m.right}" y1="${m.top + plotH}" y2="${m.top + plotH}" stroke="#6b7280"/>`,
  );
  if (spec.goal) {
    const gy = y(spec.goal.value);
    out.push(
      `<line x1="${m.left}" x2="${W - m.right}" y1="${gy}" y2="${gy}" stroke="#dc2626" stroke-dasharray="6 4"/>`,
    );
    out.push(
      `<text x="${W - m.right - 4}" y="${gy - 5}" text-anchor="end" fill="#dc2626">${esc(spec.goal.label)}</text>`,
    );
  }
  // Legend entries laid out by their text length (about 7 px per character at 12 px).
  let lx = m.left;
  spec.series.forEach((s, si) => {
    if (si > 0) lx += 40 + 7 * (spec.series[si - 1]?.name.length ?? 0);
    const ly = H - 22;
    out.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${PALETTE[si % PALETTE.length] ?? "#2563eb"}"/>`,
    );
    out.push(`<text x="${lx + 18}" y="${ly}" fill="#111827">${esc(s.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
