/**
 * Learning curves as a standalone SVG (text, diffable, viewable on any code host): one line per
 * series, series of one group share a colour (e.g. the seeds of one algorithm), a legend per group.
 */
export interface CurveSeries {
  group: string;
  points: readonly (readonly [number, number])[];
}

export interface CurveChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
}

/** Tableau 10 plus black: neighbours stay distinguishable with up to 11 groups (one per algorithm). */
const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#222222'];
const MARGIN = { left: 70, right: 170, top: 36, bottom: 46 };

/** Round numbers for axis ticks: about `count` of them spanning [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const formatTick = (v: number) => (Math.abs(v) >= 1e4 ? `${v / 1e3}k` : String(v));

export function learningCurveSvg(series: readonly CurveSeries[], options: CurveChartOptions): string {
  const width = options.width ?? 760,
    height = options.height ?? 420;
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) throw new Error(`no points to plot for "${options.title}"`);
  const xs = all.map((p) => p[0]),
    ys = all.map((p) => p[1]);
  const xTicks = niceTicks(0, Math.max(...xs)),
    yTicks = niceTicks(Math.min(...ys), Math.max(...ys));
  const [x0, x1] = [0, Math.max(xTicks.at(-1) as number, Math.max(...xs))];
  const [y0, y1] = [Math.min(yTicks[0], Math.min(...ys)), Math.max(yTicks.at(-1) as number, Math.max(...ys))];
  const plotW = width - MARGIN.left - MARGIN.right,
    plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((y - y0) / (y1 - y0 || 1)) * plotH;
  const groups = [...new Set(series.map((s) => s.group))];
  const colour = (group: string) => COLOURS[groups.indexOf(group) % COLOURS.length];

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Inter, Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="600">${escape(options.title)}</text>`,
  ];
  for (const t of xTicks) {
    parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#e9ecef"/>`);
    parts.push(`<text x="${sx(t)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" fill="#495057">${formatTick(t)}</text>`);
  }
  for (const t of yTicks) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e9ecef"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${sy(t) + 4}" text-anchor="end" fill="#495057">${formatTick(t)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#adb5bd"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escape(options.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(options.yLabel)}</text>`);
  for (const s of series) {
    const d = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${colour(s.group)}" stroke-width="1.5" stroke-opacity="0.85" points="${d}"/>`);
  }
  groups.forEach((group, i) => {
    const y = MARGIN.top + 10 + i * 18,
      x = MARGIN.left + plotW + 14;
    parts.push(`<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${colour(group)}" stroke-width="3"/>`);
    parts.push(`<text x="${x + 24}" y="${y + 4}">${escape(group)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
