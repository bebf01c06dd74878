import { describe, expect, it } from 'vitest';
import { smooth } from './smoothing.ts';

describe('smooth', () => {
  it('is the identity at weight 0', () => {
    expect(smooth([1, null, 3], 0)).toEqual([1, null, 3]);
  });

  it('is debiased: a constant stays constant from the first point', () => {
    expect(smooth([5, 5, 5], 0.9).map((v) => Number(v!.toFixed(12)))).toEqual([5, 5, 5]);
  });

  it('averages exponentially and keeps gaps', () => {
    const [a, gap, b] = smooth([0, null, 10], 0.5);
    expect(a).toBe(0);
    expect(gap).toBeNull();
    // (0.5 * 0 * 0.5 + 0.5 * 10) / (1 - 0.25)
    expect(b).toBeCloseTo(5 / 0.75, 12);
  });
});
