/**
 * Proximal Policy Optimization (Schulman et al. 2017) with the implementation details of
 * CleanRL's ppo_continuous_action.py: shuffled minibatches over several epochs, per-minibatch
 * advantage normalization, clipped surrogate, optional clipped value loss, one Adam over both
 * networks with a global gradient-norm clip, and an optional target-KL early stop.
 */
import { z } from 'zod';
import type { AlgorithmDefinition } from './algorithm.ts';
import { integer, onPolicyCommon, optionalReal, real, flag } from './hparams.ts';
import type { LossGradients, Minibatch } from './minibatch.ts';
import { RatioObjectiveAlgorithm, ratioLoss, type PolicyTerm, type RatioLossTerms } from './ratio-objective.ts';
import type { Evaluation } from '../agent/actor-critic.ts';

export const ppoHparams = z
  .object({
    ...onPolicyCommon,
    num_minibatches: integer(32, 'Minibatches per epoch', { min: 1, max: 4096, live: true }),
    update_epochs: integer(10, 'Passes over each rollout', { min: 1, max: 100, live: true }),
    norm_adv: flag(true, 'Normalize advantages per minibatch', { live: true }),
    clip_coef: real(0.2, 'Surrogate clipping range epsilon', { gt: 0, max: 10, live: true }),
    clip_vloss: flag(true, 'Clip the value loss like the surrogate', { live: true }),
    ent_coef: real(0, 'Entropy bonus coefficient', { min: 0, max: 1, live: true }),
    vf_coef: real(0.5, 'Value loss coefficient', { min: 0, max: 100, live: true }),
    target_kl: optionalReal('Stop the epochs early when approx KL exceeds this (null: off)', { gt: 0, live: true }),
  })
  .strict();
export type PpoHparams = z.infer<typeof ppoHparams>;

export interface PpoLossTerms extends Omit<RatioLossTerms, 'activeFraction'> {
  clipFraction: number;
}

/** The clipped surrogate max(-Aρ, -A·clip(ρ, 1±ε)): the gradient flows only where the unclipped term is the larger loss. */
export function clippedSurrogate(clipCoef: number): PolicyTerm {
  return (ratio, _logRatio, adv, out) => {
    const unclippedLoss = -adv * ratio;
    const clippedLoss = -adv * Math.min(Math.max(ratio, 1 - clipCoef), 1 + clipCoef);
    out.loss = Math.max(unclippedLoss, clippedLoss);
    out.dLogRatio = unclippedLoss >= clippedLoss ? -adv * ratio : 0;
    out.active = Math.abs(ratio - 1) > clipCoef;
  };
}

/**
 * The PPO loss of one minibatch, pg - ent_coef * entropy + vf_coef * value loss (means over m),
 * and its per-sample gradients w.r.t. log-probs, entropies and values, written into `grads`.
 */
export function ppoLoss(current: Evaluation, mb: Minibatch, m: number, hp: PpoHparams, grads: LossGradients): PpoLossTerms {
  const { activeFraction, ...terms } = ratioLoss(current, mb, m, hp, clippedSurrogate(hp.clip_coef), grads);
  return { ...terms, clipFraction: activeFraction };
}

export const ppo: AlgorithmDefinition<typeof ppoHparams> = {
  id: 'ppo',
  title: 'PPO',
  description: 'Proximal Policy Optimization: clipped surrogate, GAE, minibatch epochs (CleanRL details)',
  hparamsSchema: ppoHparams,
  create: (agent, hparams, rng) =>
    new RatioObjectiveAlgorithm(agent, hparams, rng, { schema: ppoHparams, policyTerm: (hp) => clippedSurrogate(hp.clip_coef), activeStat: 'clip_fraction' }),
};
