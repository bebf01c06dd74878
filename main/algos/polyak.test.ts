/** Polyak averaging of target networks. */
import { describe, expect, it } from 'vitest';
import { FusedMlp } from '../rl/nn/fused-mlp.ts';
import { orthogonalInit, type MlpSpec } from '../rl/nn/mlp.ts';
import { seededUniform } from '../rl/numeric.test-support.ts';
import { polyakUpdate } from './polyak.ts';

const spec: MlpSpec = { inputSize: 3, hiddenSizes: [5], outputSize: 2, activation: 'relu', hiddenGain: Math.SQRT2, outputGain: 1 };

describe('polyakUpdate', () => {
  it('sets target = tau * online + (1 - tau) * target, element by element', () => {
    const online = new FusedMlp(spec, orthogonalInit(spec, seededUniform(1)));
    const target = new FusedMlp(spec, orthogonalInit(spec, seededUniform(2)));
    const before = Float64Array.from(target.params);
    polyakUpdate(target, online, 0.005);
    target.params.forEach((t, i) => expect(t).toBe(Math.fround(0.005 * online.params[i] + 0.995 * before[i])));
    // The online network is not touched.
    expect(online.params).toEqual(orthogonalInit(spec, seededUniform(1)));
  });

  it('copies with tau 1 and keeps the target with tau 0', () => {
    const online = new FusedMlp(spec, orthogonalInit(spec, seededUniform(3)));
    const target = new FusedMlp(spec, orthogonalInit(spec, seededUniform(4)));
    const kept = target.params.slice();
    polyakUpdate(target, online, 0);
    expect(target.params).toEqual(kept);
    polyakUpdate(target, online, 1);
    expect(target.params).toEqual(online.params);
  });

  it('refuses networks of different shapes', () => {
    const other = new FusedMlp({ ...spec, outputSize: 3 }, orthogonalInit({ ...spec, outputSize: 3 }, seededUniform(5)));
    expect(() => polyakUpdate(other, new FusedMlp(spec, orthogonalInit(spec, seededUniform(6))), 0.5)).toThrow('networks of 38 and 32 parameters');
  });
});
