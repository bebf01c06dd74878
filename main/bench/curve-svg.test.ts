import { describe, expect, it } from 'vitest';
import { learningCurveSvg, niceTicks } from './curve-svg.ts';

describe('niceTicks', () => {
  it('spans the range with round steps', () => {
    expect(niceTicks(0, 1_000_000)).toEqual([0, 200_000, 400_000, 600_000, 800_000, 1_000_000]);
    expect(niceTicks(-1234, 310)).toEqual([-1000, -500, 0]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});

describe('learningCurveSvg', () => {
  const series = [
    {
      group: 'ppo',
      points: [
        [0, -1200],
        [50_000, -600],
        [100_000, -200],
      ] as const,
    },
    {
      group: 'ppo',
      points: [
        [0, -1100],
        [100_000, -300],
      ] as const,
    },
    {
      group: 'a2c <fast>',
      points: [
        [0, -1300],
        [100_000, -900],
      ] as const,
    },
  ];
  const svg = learningCurveSvg(series, { title: 'Pendulum & co', xLabel: 'env steps', yLabel: 'return' });

  it('draws one line per series, one colour and legend entry per group, with escaped text', () => {
    expect(svg.match(/<polyline/g)).toHaveLength(3);
    const strokes = [...svg.matchAll(/<polyline fill="none" stroke="([^"]+)"/g)].map((m) => m[1]);
    expect(strokes[0]).toBe(strokes[1]);
    expect(strokes[2]).not.toBe(strokes[0]);
    expect(svg).toContain('Pendulum &amp; co');
    expect(svg).toContain('a2c &lt;fast&gt;');
  });

  it('maps the data inside the plot area: larger returns higher up', () => {
    const first =
      svg
        .match(/<polyline[^>]*points="([^"]+)"/)?.[1]
        .split(' ')
        .map((p) => p.split(',').map(Number)) ?? [];
    expect(first).toHaveLength(3);
    expect(first[2][0]).toBeGreaterThan(first[0][0]);
    expect(first[2][1]).toBeLessThan(first[0][1]);
  });

  it('refuses to draw nothing', () => {
    expect(() => learningCurveSvg([], { title: 'empty', xLabel: 'x', yLabel: 'y' })).toThrow('no points to plot for "empty"');
  });
});
