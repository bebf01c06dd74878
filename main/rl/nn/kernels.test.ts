import { describe, expect, it } from 'vitest';
import { addColumnSums, addMatMulTransposedA, matMulAddBias, matMulTransposedB, mulReluGrad, mulTanhGrad, reluInPlace, tanhInPlace } from './kernels.ts';
import { randomArray, relativeError, seededUniform } from '../numeric.test-support.ts';

/** Float64 reference of a row-major matrix product with optional transposes: c[M, N] = op(a) · op(b). */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}

// Odd sizes exercise the duplicated last row and the column remainder of the 2x4 tiles.
const shapes = [
  [1, 1, 1],
  [1, 3, 64],
  [2, 4, 4],
  [3, 7, 5],
  [5, 2, 9],
  [64, 64, 64],
  [7, 17, 6],
] as const;

describe('matrix kernels against a float64 reference', () => {
  const uniform = seededUniform(11);
  for (const [m, k, n] of shapes) {
    it(`m=${m} k=${k} n=${n}`, () => {
      const a = randomArray(m * k, uniform),
        b = randomArray(k * n, uniform),
        bias = randomArray(n, uniform);

      const forward = new Float32Array(m * n);
      matMulAddBias(a, b, bias, forward, m, k, n);
      const expectedForward = reference(a, b, m, k, n, false, false).map((v, i) => v + bias[i % n]);
      expect(relativeError(forward, expectedForward)).toBeLessThan(1e-6);

      const bT = randomArray(n * k, uniform);
      const transposedB = new Float32Array(m * n);
      matMulTransposedB(a, bT, transposedB, m, k, n);
      expect(relativeError(transposedB, reference(a, bT, m, k, n, false, true))).toBeLessThan(1e-6);

      const aT = randomArray(k * m, uniform);
      const start = randomArray(m * n, uniform);
      const accumulated = start.slice();
      addMatMulTransposedA(aT, b, accumulated, m, k, n);
      const expectedAccumulated = reference(aT, b, m, k, n, true, false).map((v, i) => v + start[i]);
      expect(relativeError(accumulated, expectedAccumulated)).toBeLessThan(1e-6);
    });
  }

  it('leaves everything past the m x n output untouched', () => {
    const c = new Float32Array(3 * 5 + 4).fill(42);
    matMulAddBias(randomArray(3 * 2, uniform), randomArray(2 * 5, uniform), new Float32Array(5), c, 3, 2, 5);
    expect(Array.from(c.subarray(15))).toEqual([42, 42, 42, 42]);
  });

  it('adds column sums', () => {
    const out = Float32Array.of(10, 20);
    addColumnSums(Float32Array.of(1, 2, 3, 4, 5, 6), out, 3, 2);
    expect(Array.from(out)).toEqual([19, 32]);
  });
});

describe('activations', () => {
  it('tanh is within 2 float32 ulps of Math.tanh, odd, and saturates', () => {
    const xs = Float32Array.from({ length: 20001 }, (_, i) => (i - 10000) / 1000); // -10 .. 10
    const ys = xs.slice();
    tanhInPlace(ys, ys.length);
    let worstRelative = 0,
      worstAsymmetry = 0;
    for (let i = 0; i < xs.length; i++) {
      const expected = Math.tanh(xs[i]);
      if (expected !== 0) worstRelative = Math.max(worstRelative, Math.abs(ys[i] - expected) / Math.abs(expected));
      worstAsymmetry = Math.max(worstAsymmetry, Math.abs(ys[i] + ys[xs.length - 1 - i]));
    }
    expect(worstRelative).toBeLessThanOrEqual(2.5e-7);
    expect(worstAsymmetry).toBe(0);
    const extremes = Float32Array.of(1e-20, -3e-8, 0, 50, -50);
    tanhInPlace(extremes, extremes.length);
    [1e-20, -3e-8, 0, 1, -1].forEach((expected, i) => expect(Math.abs(extremes[i] - expected)).toBeLessThanOrEqual(2.5e-7 * Math.abs(expected)));
  });

  it('tanh and relu gradients scale by the derivative at the output', () => {
    const y = Float32Array.of(0.5, -0.25, 0, 2);
    const tanhGrad = Float32Array.of(1, 2, 3, 4);
    mulTanhGrad(y, tanhGrad, 4);
    expect(Array.from(tanhGrad)).toEqual([0.75, 1.875, 3, -12]);
    const relu = Float32Array.of(-1, 0, 2);
    reluInPlace(relu, 3);
    expect(Array.from(relu)).toEqual([0, 0, 2]);
    const reluGrad = Float32Array.of(5, 6, 7);
    mulReluGrad(relu, reluGrad, 3);
    expect(Array.from(reluGrad)).toEqual([0, 0, 7]);
  });
});
