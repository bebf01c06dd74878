/**
 * The check every hand-derived backward pass here is tested with: analytic gradients against
 * central finite differences of the loss, at parameters spread over each array (a prime stride).
 * The fused engine reads parameters in place, so perturbing them needs no paramsChanged().
 */
import { expect } from 'vitest';
import { finiteDifference } from './numeric.test-support.ts';

export interface GradientArrays {
  name?: string;
  params: Float32Array;
  grads: Float32Array;
}

/**
 * Compares `grads` (already computed at the current parameters) with differences of `loss` at up to
 * `perArray` parameters of each array: |numeric - analytic| < 2e-3 + relTol · |numeric|.
 * Returns how many parameters were checked.
 */
export function expectGradientsMatch(arrays: GradientArrays | GradientArrays[], loss: () => number, { perArray = 40, relTol = 0.05 } = {}): number {
  let checked = 0;
  for (const { name = 'parameter', params, grads } of [arrays].flat()) {
    const analytic = Float64Array.from(grads);
    for (let k = 0; k < Math.min(params.length, perArray); k++) {
      const i = Math.floor((k * 7919) % params.length);
      const numeric = finiteDifference(loss, params, i, 1e-3);
      expect(Math.abs(numeric - analytic[i]), `${name}[${i}]: numeric ${numeric}, analytic ${analytic[i]}`).toBeLessThan(2e-3 + relTol * Math.abs(numeric));
      checked++;
    }
  }
  return checked;
}
