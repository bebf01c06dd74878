import { describe, expect, it } from 'vitest';
import type { MlpSpec } from './mlp.ts';
import { denseLayers, orthogonalInit, parameterCount } from './mlp.ts';
import { seededUniform } from '../numeric.test-support.ts';

const spec: MlpSpec = { inputSize: 3, hiddenSizes: [64, 5], outputSize: 2, activation: 'tanh', hiddenGain: Math.SQRT2, outputGain: 0.01 };

/** Gram matrix of W [rows][cols]: of its rows (byRows) or of its columns. */
function gram(params: Float32Array, offset: number, rows: number, cols: number, byRows: boolean): number[][] {
  const count = byRows ? rows : cols,
    length = byRows ? cols : rows;
  const at = (v: number, k: number) => params[offset + (byRows ? v * cols + k : k * cols + v)];
  return Array.from({ length: count }, (_, u) =>
    Array.from({ length: count }, (_, v) => {
      let dot = 0;
      for (let k = 0; k < length; k++) dot += at(u, k) * at(v, k);
      return dot;
    }),
  );
}

describe('flat parameter layout', () => {
  it('puts each layer W[in][out] then b[out], in order', () => {
    expect(denseLayers(spec)).toEqual([
      { inSize: 3, outSize: 64, weightOffset: 0, biasOffset: 192 },
      { inSize: 64, outSize: 5, weightOffset: 256, biasOffset: 576 },
      { inSize: 5, outSize: 2, weightOffset: 581, biasOffset: 591 },
    ]);
    expect(parameterCount(spec)).toBe(593);
  });

  it('handles a network without hidden layers', () => {
    expect(parameterCount({ ...spec, hiddenSizes: [] })).toBe(3 * 2 + 2);
  });
});

describe('orthogonalInit (CleanRL layer_init)', () => {
  const params = orthogonalInit(spec, seededUniform(7));

  it('makes the fewer of rows or columns orthonormal, times the layer gain', () => {
    const gains = [Math.SQRT2, Math.SQRT2, 0.01];
    denseLayers(spec).forEach((layer, l) => {
      const byRows = layer.inSize <= layer.outSize;
      const g = gram(params, layer.weightOffset, layer.inSize, layer.outSize, byRows);
      g.forEach((row, u) => row.forEach((dot, v) => expect(dot).toBeCloseTo(u === v ? gains[l] ** 2 : 0, 5)));
    });
  });

  it('zeroes the biases', () => {
    for (const layer of denseLayers(spec)) {
      expect(Array.from(params.subarray(layer.biasOffset, layer.biasOffset + layer.outSize)).every((b) => b === 0)).toBe(true);
    }
  });

  it('is orthogonal for a square layer too', () => {
    const square: MlpSpec = { ...spec, inputSize: 8, hiddenSizes: [], outputSize: 8, outputGain: 1 };
    const g = gram(orthogonalInit(square, seededUniform(3)), 0, 8, 8, false);
    g.forEach((row, u) => row.forEach((dot, v) => expect(dot).toBeCloseTo(u === v ? 1 : 0, 5)));
  });

  it('is deterministic in the seed', () => {
    expect(orthogonalInit(spec, seededUniform(7))).toEqual(params);
    expect(orthogonalInit(spec, seededUniform(8))).not.toEqual(params);
  });
});
