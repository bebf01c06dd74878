import { describe, expect, it } from 'vitest';
import { normalizeAdvantages } from './normalize-advantages.ts';

describe('normalizeAdvantages', () => {
  it('subtracts the mean and divides by the unbiased std + 1e-8, in place', () => {
    const advantages = Float32Array.of(1, 2, 3, 4);
    normalizeAdvantages(advantages);
    // mean 2.5, std = √(5 / 3)
    [-1.1618949948622252, -0.38729833162074173, 0.38729833162074173, 1.1618949948622252].forEach((a, i) => expect(advantages[i]).toBeCloseTo(a, 6));
  });

  it('normalizes only the slice it is given', () => {
    const all = Float32Array.of(100, 1, 3, 100);
    normalizeAdvantages(all.subarray(1, 3));
    expect(Array.from(all)).toEqual([100, Math.fround(-1 / (Math.SQRT2 + 1e-8)), Math.fround(1 / (Math.SQRT2 + 1e-8)), 100]);
  });

  it('maps constant advantages, a single one, and none to zeros without NaN', () => {
    const constant = Float32Array.of(5, 5, 5);
    normalizeAdvantages(constant);
    expect(Array.from(constant)).toEqual([0, 0, 0]);
    const single = Float32Array.of(7);
    normalizeAdvantages(single);
    expect(Array.from(single)).toEqual([0]);
    expect(() => normalizeAdvantages(new Float32Array(0))).not.toThrow();
  });
});
