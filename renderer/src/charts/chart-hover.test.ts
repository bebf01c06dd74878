import { describe, expect, it } from 'vitest';
import { hoverRows, nearestPoint, sharedPosition } from './chart-hover.ts';
import { metricSeries, rowPositions } from './run-chart-data.ts';

describe('nearestPoint', () => {
  const xs = [0, 10, 20, 30, 40];

  it('is the point itself where the curve has one', () => {
    expect(nearestPoint(xs, [1, 2, 3, 4, 5], 2)).toBe(2);
  });

  it('is the nearest point along x across a gap (overlaid runs log at different steps)', () => {
    expect(nearestPoint([0, 10, 12, 30], [1, null, null, 4], 1)).toBe(0);
    expect(nearestPoint([0, 10, 28, 30], [1, null, null, 4], 2)).toBe(3);
  });

  it("is null outside the curve's span (a shorter run), for a curve with no points, or outside the chart", () => {
    expect(nearestPoint(xs, [null, 2, 3, null, null], 0)).toBeNull();
    expect(nearestPoint(xs, [null, 2, 3, null, null], 3)).toBeNull();
    expect(nearestPoint(xs, [null, 2, 3, null, null], 2)).toBe(2);
    expect(nearestPoint(xs, [null, null, null, null, null], 2)).toBeNull();
    expect(nearestPoint(xs, [1, 2, 3, 4, 5], 5)).toBeNull();
  });
});

describe('hoverRows', () => {
  const rows = [
    { step: 2048, wall_s: 1.5, return_mean: -1200, learning_rate: 3e-4 },
    { step: 4096, wall_s: 3.25, return_mean: -900, learning_rate: 3e-4 },
    { step: 6144, wall_s: 5, return_mean: -600, learning_rate: 1e-4 },
  ];
  const positions = rowPositions(rows);

  it('gives every curve its raw value, smoothed value, step and wall time under the cursor', () => {
    const series = metricSeries(
      'return_mean',
      'Episode return',
      '#fff',
      rows.map((r) => r.return_mean),
      positions,
      0.5,
    );
    const [row] = hoverRows({ xs: positions.steps as number[], series, annotations: [] }, 1);
    expect(row).toMatchObject({ label: 'Episode return', value: -900, step: 4096, wallSeconds: 3.25 });
    expect(row.smoothed).toBeCloseTo((0.5 * 0.5 * -1200 + 0.5 * -900) / 0.75, 9);
  });

  it('lists one row per run, each at its own point, when runs are overlaid', () => {
    const xs = [1000, 2048, 3000];
    const a = metricSeries('return_mean', 'run a', '#fff', [-1, -5, null], { steps: [1000, 2048, null], wallSeconds: [4, 9, null] }, 0);
    const b = metricSeries('return_mean', 'run b', '#000', [-7, null, -3], { steps: [1000, null, 3000], wallSeconds: [4, null, 12] }, 0);
    const found = hoverRows({ xs, series: [...a, ...b], annotations: [] }, 1);
    expect(found.map((r) => [r.label, r.value, r.step])).toEqual([
      ['run a', -5, 2048],
      ['run b', -3, 3000],
    ]);
    expect(sharedPosition(found)).toBeNull();
    expect(sharedPosition(found.slice(0, 1))).toEqual({ step: 2048, wallSeconds: 9 });
  });
});
