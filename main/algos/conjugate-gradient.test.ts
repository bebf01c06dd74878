/** Conjugate gradient against systems solved by hand. */
import { describe, expect, it } from 'vitest';
import { conjugateGradient } from './conjugate-gradient.ts';
import { seededUniform } from '../rl/numeric.test-support.ts';

/** out = A v for a dense row-major A [n, n]. */
function dense(a: number[][]) {
  return (v: Float64Array, out: Float64Array) => a.forEach((row, i) => (out[i] = row.reduce((s, x, j) => s + x * v[j], 0)));
}

describe('conjugateGradient', () => {
  it('solves [[4, 1], [1, 3]] x = [1, 2] exactly in 2 products: x = [1/11, 7/11]', () => {
    const result = conjugateGradient(
      dense([
        [4, 1],
        [1, 3],
      ]),
      Float64Array.of(1, 2),
      10,
    );
    expect(result.x[0]).toBeCloseTo(1 / 11, 12);
    expect(result.x[1]).toBeCloseTo(7 / 11, 12);
    expect(result.iterations).toBe(2);
    expect(result.residualSquared).toBeLessThan(1e-20);
  });

  it('solves a random 12 x 12 SPD system (M Mᵀ + I) to its known solution', () => {
    const uniform = seededUniform(3),
      n = 12;
    const m = Array.from({ length: n }, () => Array.from({ length: n }, () => uniform() * 2 - 1));
    const a = m.map((row, i) => m.map((other, j) => row.reduce((s, x, k) => s + x * other[k], 0) + (i === j ? 1 : 0)));
    const solution = Float64Array.from({ length: n }, () => uniform() * 2 - 1);
    const b = new Float64Array(n);
    dense(a)(solution, b);
    const result = conjugateGradient(dense(a), b, 50, 1e-24);
    result.x.forEach((x, i) => expect(x).toBeCloseTo(solution[i], 8));
    expect(result.iterations).toBeLessThanOrEqual(n + 2);
  });

  it('stops after maxIterations, and at once for b = 0', () => {
    const a = [
      [2, 0, 0],
      [0, 3, 0],
      [0, 0, 5],
    ];
    expect(conjugateGradient(dense(a), Float64Array.of(1, 1, 1), 1).iterations).toBe(1);
    const zero = conjugateGradient(dense(a), new Float64Array(3), 10);
    expect(zero.iterations).toBe(0);
    expect(Array.from(zero.x)).toEqual([0, 0, 0]);
  });

  it('with damping, (F + λI) x = g for a rank-deficient F (as TRPO uses it)', () => {
    const lambda = 0.1;
    // F = u uᵀ with u = [1, 2]: singular; F + λI is not.
    const multiply = (v: Float64Array, out: Float64Array) => {
      const uv = v[0] + 2 * v[1];
      out[0] = uv + lambda * v[0];
      out[1] = 2 * uv + lambda * v[1];
    };
    const x = conjugateGradient(multiply, Float64Array.of(1, 0), 10).x;
    // (F + λI)⁻¹ = (I - u uᵀ / (λ + uᵀu)) / λ, so x = [1 - 1/5.1, -2/5.1] / 0.1.
    expect(x[0]).toBeCloseTo((1 - 1 / 5.1) / 0.1, 10);
    expect(x[1]).toBeCloseTo(-2 / 5.1 / 0.1, 10);
  });
});
