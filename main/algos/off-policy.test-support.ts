/** Test helpers for the off-policy algorithms: a tiny env description, random transitions, a gradient check. */
import { expect } from 'vitest';
import { box } from '../../sim/index.ts';
import type { OffPolicyEnvSpec, TransitionBatch } from './algorithm.ts';
import { finiteDifference, randomArray } from '../rl/numeric.test-support.ts';

/** 3 observations; 2 actions with an asymmetric Box, so action scale and bias both matter. */
export const tinyEnv: OffPolicyEnvSpec = { obsSize: 3, actionSpace: box([-2, 0], [2, 1]) };

/** Hyperparameters for networks small enough for finite differences (tanh: no ReLU kinks). */
export const tinyNets = { policy_arch: '8,8', q_arch: '8,8', activation: 'tanh' } as const;

export function randomTransitions(size: number, uniform: () => number): TransitionBatch {
  const actions = Float32Array.from({ length: size * 2 }, (_, i) => (i % 2 === 0 ? 4 * uniform() - 2 : uniform()));
  return {
    size,
    obs: randomArray(size * 3, uniform, 2),
    actions,
    rewards: randomArray(size, uniform, 3),
    nextObs: randomArray(size * 3, uniform, 2),
    terminated: Float32Array.from({ length: size }, () => (uniform() < 0.2 ? 1 : 0)),
  };
}

/** Compares `grads` with central differences of `loss` at `count` of the parameters, spread over the array. */
export function expectGradientsMatch(params: Float32Array, grads: Float32Array, loss: () => number, count = 40): void {
  const analytic = Float64Array.from(grads);
  for (let k = 0; k < count; k++) {
    const i = Math.floor((k * 7919) % params.length);
    const numeric = finiteDifference(loss, params, i, 1e-3);
    expect(Math.abs(numeric - analytic[i]), `parameter ${i}: numeric ${numeric}, analytic ${analytic[i]}`).toBeLessThan(2e-3 + 0.03 * Math.abs(numeric));
  }
}
