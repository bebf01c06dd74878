/**
 * Deep Deterministic Policy Gradient (Lillicrap et al. 2015) with the details of CleanRL's
 * ddpg_continuous_action.py: one critic and a target actor and critic updated by polyak averaging,
 * Gaussian exploration noise instead of the paper's Ornstein-Uhlenbeck process, actor updates
 * delayed to every second critic step, uniformly random actions for the first learning_starts
 * steps. The learner is dpg.ts, shared with TD3; tuned settings live in assets/presets/ddpg/.
 */
import { z } from 'zod';
import type { OffPolicyDefinition } from './algorithm.ts';
import { offPolicyCommon, real } from './hparams.ts';
import { DeterministicPolicyGradient } from './dpg.ts';

export const ddpgHparams = z
  .object({
    ...offPolicyCommon,
    learning_rate: real(3e-4, 'Adam learning rate of the actor and the critic', { gt: 0, max: 1, live: true }),
    exploration_noise: real(0.1, 'Std of the Gaussian exploration noise, in units of the half action range', { min: 0, max: 10, live: true }),
  })
  .strict();
export type DdpgHparams = z.infer<typeof ddpgHparams>;

export const ddpg: OffPolicyDefinition<typeof ddpgHparams> = {
  kind: 'off-policy',
  id: 'ddpg',
  title: 'DDPG',
  description: 'Deep Deterministic Policy Gradient: replay buffer, target networks, Gaussian exploration (CleanRL details)',
  hparamsSchema: ddpgHparams,
  create: (env, hparams, backend, rng) => new DeterministicPolicyGradient(env, hparams, backend, rng, { schema: ddpgHparams, critics: 1 }),
};
