/** What a chart's tooltip lists under the cursor: for every curve, its point nearest the cursor. */
import type { ChartData, Series } from './line-chart.ts';

export interface HoverRow {
  label: string;
  color: string;
  /** The metric's value at that point (the raw one, under a smoothed curve). */
  value: number;
  /** The smoothed curve's value there, when smoothing is on. */
  smoothed: number | null;
  step: number | null;
  wallSeconds: number | null;
}

/**
 * The index of the point of `values` nearest (along x) to the point at `index`, or null when the
 * cursor is outside the curve's span: overlaid runs log at different steps, so most x columns are
 * gaps for most curves, and a shorter run has nothing to say past its last point.
 */
export function nearestPoint(xs: readonly number[], values: readonly (number | null)[], index: number): number | null {
  if (index < 0 || index >= xs.length) return null;
  let before = index;
  while (before >= 0 && values[before] == null) before--;
  let after = index;
  while (after < values.length && values[after] == null) after++;
  if (before < 0 || after >= values.length) return before === index ? index : null;
  return xs[index] - xs[before] <= xs[after] - xs[index] ? before : after;
}

/** One row per drawn curve (the faint raw curves are folded into their smoothed one). */
export function hoverRows(data: ChartData, index: number): HoverRow[] {
  return data.series
    .filter((series) => !series.faint)
    .flatMap((series: Series) => {
      const values = series.raw ?? series.values;
      const point = nearestPoint(data.xs, values, index);
      if (point === null) return [];
      return [
        {
          label: series.label,
          color: series.color,
          value: values[point]!,
          smoothed: series.raw ? series.values[point] : null,
          step: series.steps[point],
          wallSeconds: series.wallSeconds[point],
        },
      ];
    });
}

/** The step and wall time every row shares (one run's chart), else null (overlaid runs differ). */
export function sharedPosition(rows: readonly HoverRow[]): { step: number | null; wallSeconds: number | null } | null {
  if (rows.length === 0) return null;
  const [first] = rows;
  return rows.every((row) => row.step === first.step && row.wallSeconds === first.wallSeconds) ? { step: first.step, wallSeconds: first.wallSeconds } : null;
}
