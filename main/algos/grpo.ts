/**
 * Group-relative PPO for control (GRPO, Shao et al. 2024, with RLOO's leave-one-out baseline,
 * Ahmadian et al. 2024): at the start of every rollout the envs of each group are set to copies of
 * one state (the physics world is snapshotted and restored), act with independent noise, and each
 * step's advantage is its reward-to-go minus that of the other members at the same step
 * (main/rl/group-advantages.ts). No critic enters the advantages; the update is PPO's clipped
 * surrogate over minibatch epochs. The critic is still there (vf_coef > 0 trains it, for the
 * explained-variance diagnostic), but off by default.
 */
import type { z } from 'zod';
import type { AlgorithmDefinition } from './algorithm.ts';
import { flag, integer, real } from './hparams.ts';
import { clippedSurrogate, ppoHparams, PpoUpdate } from './ppo.ts';

export const grpoHparams = ppoHparams
  .omit({ gae_lambda: true })
  .extend({
    num_envs: integer(8, 'Parallel environments stepped together (groups of group_size)', { min: 2, max: 512 }),
    num_steps: integer(256, 'Steps per environment per rollout: the horizon the group members are compared over', { min: 1, max: 100_000 }),
    group_size: integer(8, 'Envs per group, all starting each rollout from one copied state (must divide num_envs)', { min: 2, max: 512 }),
    leave_one_out: flag(true, "Baseline without the member's own return (RLOO, unbiased)"),
    scale_by_std: flag(false, "Divide by the group's return std (GRPO)"),
    vf_coef: real(0, 'Value loss coefficient (no critic is needed; > 0 trains one for diagnostics)', { min: 0, max: 100, live: true }),
  })
  .refine((hp) => hp.num_envs % hp.group_size === 0, { message: 'group_size must divide num_envs', path: ['group_size'] });
export type GrpoHparams = z.infer<typeof grpoHparams>;

export const grpo: AlgorithmDefinition<typeof grpoHparams> = {
  id: 'grpo',
  title: 'GRPO',
  description: 'Group-relative PPO: no critic; each group of envs replays one saved physics state and compares returns',
  hparamsSchema: grpoHparams,
  advantageEstimator: (hp) => ({ kind: 'group', groupSize: hp.group_size, leaveOneOut: hp.leave_one_out, scaleByStd: hp.scale_by_std }),
  create: (agent, hparams, rng) =>
    new PpoUpdate(agent, hparams, rng, { schema: grpoHparams, policyTerm: (hp) => clippedSurrogate(hp.clip_coef), activeStat: 'clip_fraction' }),
};
