/** Test helpers for the off-policy algorithms: a tiny env description, random transitions. */
import { box } from '../../sim/index.ts';
import type { OffPolicyEnvSpec, TransitionBatch } from './algorithm.ts';
import { randomArray } from '../rl/numeric.test-support.ts';

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
