/**
 * Test and benchmark helpers: a tiny seeded uniform generator (mulberry32), so the rl tests are
 * deterministic without depending on the simulator's RNG, plus the closeness measure and the
 * finite differences the gradient tests share.
 */

import type { Activation, MlpSpec } from './nn/mlp.ts';

/** Uniform on [0, 1), deterministic in `seed`. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` values uniform on [-scale, scale). */
export function randomArray(length: number, uniform: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length }, () => (2 * uniform() - 1) * scale);
}

/** max_i |actual_i - expected_i| / max_i |expected_i|: error relative to the array's scale. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let maxDiff = 0,
    maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
  }
  return maxDiff / (maxAbs || 1);
}

/**
 * Central finite difference of `loss` w.r.t. x[i], a Float32Array input. Divides by the
 * perturbation float32 really made, so only the function's own rounding and curvature remain.
 */
export function finiteDifference(loss: () => number, x: Float32Array, i: number, h = 1e-2): number {
  const saved = x[i];
  x[i] = saved + h;
  const up = loss(),
    upX = x[i];
  x[i] = saved - h;
  const down = loss(),
    downX = x[i];
  x[i] = saved;
  return (up - down) / (upX - downX);
}

/** A random MLP shape: every size in 1..maxWidth, 1 to 3 hidden layers, tanh or relu unless given. */
export function randomMlpSpec(uniform: () => number, maxWidth: number, activation?: Activation): MlpSpec {
  const size = (max: number) => 1 + Math.floor(uniform() * max);
  return {
    inputSize: size(maxWidth),
    hiddenSizes: Array.from({ length: size(3) }, () => size(maxWidth)),
    outputSize: size(maxWidth),
    activation: activation ?? (uniform() < 0.5 ? 'tanh' : 'relu'),
    hiddenGain: Math.SQRT2,
    outputGain: uniform() < 0.5 ? 0.01 : 1,
  };
}
