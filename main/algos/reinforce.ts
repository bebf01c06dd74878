/**
 * REINFORCE (Williams 1992): one gradient step per rollout on -mean(G_t · log π(a_t|s_t)), G_t the
 * discounted return-to-go. Defaults are PolicyGradientsJax's reinforce.py (lr 3e-4 Adam, 2048-step
 * rollouts, gamma 0.99, no entropy bonus, grad-norm clip 0.5, no baseline).
 *
 * Returns: the trainer computes GAE with this schema's gae_lambda, fixed at 1, which is exactly the
 * Monte-Carlo return-to-go; like every rollout here it bootstraps from V(final obs) where a time
 * limit truncated an episode (not where it terminated), and from V(last obs) where the rollout cuts
 * an episode. A num_steps that is a multiple of the episode length (Pendulum: 200) makes every
 * return a complete episode's. The critic is therefore always fitted (vf_coef) — it supplies those
 * bootstraps — and `baseline` decides whether the policy gradient uses G_t - V(s_t) instead of G_t.
 */
import { z } from 'zod';
import type { AlgorithmDefinition } from './algorithm.ts';
import { flag, onPolicyCommon, real } from './hparams.ts';
import { PolicyGradientAlgorithm } from './policy-gradient.ts';

export const reinforceHparams = z
  .object({
    ...onPolicyCommon,
    gae_lambda: real(1, 'Fixed at 1: the weights are Monte-Carlo returns (GAE with lambda 1)', { min: 1, max: 1 }),
    baseline: flag(false, 'Weight log-probs by G - V(s) (learned baseline) instead of the return G', { live: true }),
    norm_adv: flag(false, 'Standardize the weights (returns, or G - V) over the batch', { live: true }),
    ent_coef: real(0, 'Entropy bonus coefficient', { min: 0, max: 1, live: true }),
    vf_coef: real(0.5, 'Value loss coefficient (the critic bootstraps cut episodes, and is the baseline)', { min: 0, max: 100, live: true }),
  })
  .strict();
export type ReinforceHparams = z.infer<typeof reinforceHparams>;

export const reinforce: AlgorithmDefinition<typeof reinforceHparams> = {
  id: 'reinforce',
  title: 'REINFORCE',
  description: 'REINFORCE: Monte-Carlo returns, one gradient step per rollout, optional learned baseline',
  hparamsSchema: reinforceHparams,
  create: (agent, hparams) =>
    new PolicyGradientAlgorithm(agent, hparams, {
      schema: reinforceHparams,
      // With lambda 1, returns = advantages + values = G_t, and advantages = G_t - V(s_t).
      weights: (batch, hp) => (hp.baseline ? batch.advantages : batch.returns),
    }),
};
