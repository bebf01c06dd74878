/** Metrics rows and events of a run -> the series and annotations of its charts. */
import type { MetricsRow, RunEvent } from '../../../main/lab/api.ts';
import type { Annotation, ChartData, Series } from './line-chart.ts';
import { extraCharts, isStepLike, PALETTE, RUN_CHARTS, seriesLabel } from './chart-specs.ts';
import { formatNumber } from '../lib/format.ts';
import { smooth } from './smoothing.ts';

export type XAxis = 'steps' | 'wall';

export const X_LABELS: Record<XAxis, string> = { steps: 'env steps', wall: 'wall time (s)' };

export function xValue(axis: XAxis, row: MetricsRow): number {
  return (axis === 'steps' ? row.step : row.wall_s) ?? Number.NaN;
}

/** Where each point of a curve is: its env step and wall time, aligned with the chart's xs. */
export interface PointPositions {
  steps: (number | null)[];
  wallSeconds: (number | null)[];
}

export function rowPositions(rows: readonly MetricsRow[]): PointPositions {
  return { steps: rows.map((row) => row.step ?? null), wallSeconds: rows.map((row) => row.wall_s ?? null) };
}

/**
 * The curve of one metric: raw (faint) under its smoothed version when smoothing is on. A step-like
 * metric (a hyperparameter such as the learning rate) is never smoothed and is drawn as steps.
 */
export function metricSeries(key: string, label: string, color: string, values: (number | null)[], positions: PointPositions, smoothing: number): Series[] {
  if (isStepLike(key)) return [{ label, color, values, ...positions, stepped: true }];
  if (smoothing <= 0) return [{ label, color, values, ...positions }];
  return [
    { label: `${label} (raw)`, color, values, ...positions, faint: true },
    { label, color, values: smooth(values, smoothing), ...positions, raw: values },
  ];
}

/** Hyperparameter changes, pauses, forks, checkpoints the user asked for and errors as chart annotations. */
export function eventAnnotations(events: readonly RunEvent[], axis: XAxis): Annotation[] {
  return events.flatMap((event) => {
    const x = axis === 'steps' ? event.step : event.wallSeconds;
    switch (event.type) {
      case 'hparams':
        return [
          {
            x,
            label: Object.entries(event.values as Record<string, unknown>)
              .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : String(v)}`)
              .join(' '),
          },
        ];
      case 'fork':
        return [{ x, label: 'fork' }];
      case 'pause':
        return [{ x, label: 'paused' }];
      case 'checkpoint':
        return [{ x, label: 'checkpoint' }];
      case 'error':
        return [{ x, label: 'error' }];
      default:
        return [];
    }
  });
}

/** One run's curve on an overlay chart. */
export interface OverlayRun {
  label: string;
  color: string;
  metrics: readonly MetricsRow[];
}

/** One metric of several runs on one chart: runs have different x values, so each curve gets its own column, merged on one sorted axis. */
export function overlayChart(runs: readonly OverlayRun[], metric: string, axis: XAxis, smoothing: number): ChartData {
  const xs = [...new Set(runs.flatMap((run) => run.metrics.map((row) => xValue(axis, row))))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const series = runs.flatMap((run) => {
    const values: (number | null)[] = new Array(xs.length).fill(null);
    const positions = { steps: new Array<number | null>(xs.length).fill(null), wallSeconds: new Array<number | null>(xs.length).fill(null) };
    for (const row of run.metrics) {
      const at = index.get(xValue(axis, row))!;
      values[at] = row[metric] ?? null;
      positions.steps[at] = row.step ?? null;
      positions.wallSeconds[at] = row.wall_s ?? null;
    }
    return metricSeries(metric, run.label, run.color, values, positions, smoothing);
  });
  return { xs, series, annotations: [] };
}

export interface RunChart {
  id: string;
  title: string;
  hint?: string;
  data: ChartData;
}

export function runCharts(metrics: readonly MetricsRow[], events: readonly RunEvent[], axis: XAxis, smoothing: number): RunChart[] {
  const available = metrics.length > 0 ? Object.keys(metrics[metrics.length - 1]) : [];
  const xs = metrics.map((row) => xValue(axis, row));
  const annotations = eventAnnotations(events, axis);
  const positions = rowPositions(metrics);
  // A chart with nothing to draw for this run (say reward terms of a single-term reward) is left out.
  const shown =
    metrics.length === 0 ? RUN_CHARTS : [...RUN_CHARTS.filter((spec) => spec.id === 'return' || spec.keys(available).length > 0), ...extraCharts(available)];
  return shown.map((spec) => {
    const keys = spec.keys(available);
    const series = keys.flatMap((key, i) =>
      metricSeries(
        key,
        seriesLabel(key),
        PALETTE[i % PALETTE.length],
        metrics.map((row) => row[key] ?? null),
        positions,
        smoothing,
      ),
    );
    return { id: spec.id, title: spec.title, hint: spec.hint, data: { xs, series, annotations } };
  });
}
