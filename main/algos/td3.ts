/**
 * Twin Delayed DDPG (Fujimoto et al. 2018) with the details of CleanRL's td3_continuous_action.py:
 * DDPG's learner (dpg.ts) with its three fixes,
 *   clipped double Q:        y = r + γ (1 - terminated) min(Q'_1, Q'_2)(s', a'),
 *   delayed policy updates:  the actor and all targets every policy_frequency critic steps,
 *   target policy smoothing: a' = clip(μ'(s') + clip(ε·policy_noise, ±noise_clip)·scale, low, high).
 * Tuned settings live in assets/presets/td3/.
 */
import { z } from 'zod';
import type { Rng } from '../../sim/index.ts';
import type { TanhBox } from '../agent/tanh-box.ts';
import type { OffPolicyDefinition } from './algorithm.ts';
import { offPolicyCommon, real } from './hparams.ts';
import { DeterministicPolicyGradient } from './dpg.ts';

export const td3Hparams = z
  .object({
    ...offPolicyCommon,
    learning_rate: real(3e-4, 'Adam learning rate of the actor and the critics', { gt: 0, max: 1, live: true }),
    exploration_noise: real(0.1, 'Std of the Gaussian exploration noise, in units of the half action range', { min: 0, max: 10, live: true }),
    policy_noise: real(0.2, 'Std of the target policy smoothing noise, in units of the half action range', { min: 0, max: 10, live: true }),
    noise_clip: real(0.5, 'Clip of the target policy smoothing noise (before scaling)', { min: 0, max: 10, live: true }),
  })
  .strict();
export type Td3Hparams = z.infer<typeof td3Hparams>;

/**
 * Target policy smoothing, in place over the target actor's actions a' [B, A]:
 * a' <- clip(a' + clip(ε · policy_noise, -noise_clip, noise_clip) · scale, low, high), ε ~ N(0, 1).
 */
export function smoothTargetActions(
  nextActions: Float32Array,
  batch: number,
  hp: Pick<Td3Hparams, 'policy_noise' | 'noise_clip'>,
  box: TanhBox,
  rng: Pick<Rng, 'normal'>,
): void {
  const a = box.scale.length;
  for (let i = 0; i < batch * a; i++) {
    const k = i % a;
    const noise = Math.min(Math.max(rng.normal() * hp.policy_noise, -hp.noise_clip), hp.noise_clip) * box.scale[k];
    nextActions[i] = Math.min(Math.max(nextActions[i] + noise, box.bias[k] - box.scale[k]), box.bias[k] + box.scale[k]);
  }
}

export const td3: OffPolicyDefinition<typeof td3Hparams> = {
  kind: 'off-policy',
  id: 'td3',
  title: 'TD3',
  description: 'Twin Delayed DDPG: clipped double Q, delayed actor, target policy smoothing (CleanRL details)',
  hparamsSchema: td3Hparams,
  create: (env, hparams, backend, rng) =>
    new DeterministicPolicyGradient(env, hparams, backend, rng, { schema: td3Hparams, critics: 2, targetActionNoise: smoothTargetActions }),
};
