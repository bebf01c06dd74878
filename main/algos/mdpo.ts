/**
 * On-policy Mirror Descent Policy Optimization (Tomar et al. 2022, "Mirror Descent Policy
 * Optimization"), as manantomar/Mirror-Descent-Policy-Optimization's mdpo_on/mdpo.py: per rollout,
 * standardize the advantages, then take `sgd_steps` full-batch Adam steps on
 *
 *   L(θ) = -[ mean(ρ·Â) - mean KL(π_θ || π_old) / t_k ],   t_k = 1 - (k - 1)/K,
 *
 * k the 1-based update and K the total updates: the KL weight 1/t_k grows from 1 to K over training
 * (mirror descent's step size shrinks). π_old is the policy that collected the rollout (captured by
 * one forward before the first step, old-policy.ts); note the KL's direction, current first. Then
 * the critic alone is fitted with PPO's clipped value loss (critic-fit.ts).
 *
 * Defaults are mdpo_on's: 2048-step rollouts, 5 SGD steps, Adam 3e-4 (eps 1e-5, grad-norm clip 0.5)
 * held constant, critic: 5 epochs of minibatches of 128 (2048 / 16), value clip 0.2, same learning
 * rate; γ 0.99, λ 0.95. (mdpo_on's own t_k starts at 1 + 1/K because its counter starts at 0.)
 */
import { z } from 'zod';
import type { AlgorithmDefinition, OnPolicyAlgorithm, RolloutBatch, UpdateContext, UpdateStats } from './algorithm.ts';
import { flag, integer, onPolicyCommon, real } from './hparams.ts';
import { explainedVariance } from './diagnostics.ts';
import { CriticFit } from './critic-fit.ts';
import { OptimizerStep, joinStates, partState } from './optimizer-step.ts';
import { OldPolicy, klToOld, klToOldBackward, mean } from './old-policy.ts';
import { normalizeAdvantages } from '../rl/normalize-advantages.ts';
import type { ActorCritic } from '../agent/actor-critic.ts';
import type { Rng } from '../../sim/index.ts';

export const mdpoHparams = z
  .object({
    ...onPolicyCommon,
    anneal_lr: flag(false, 'Anneal the learning rate linearly to 0 over training'),
    sgd_steps: integer(5, 'Full-batch Adam steps on the policy per rollout', { min: 1, max: 1000, live: true }),
    norm_adv: flag(true, 'Standardize advantages over the batch', { live: true }),
    critic_epochs: integer(5, 'Critic passes over each rollout', { min: 1, max: 100, live: true }),
    num_minibatches: integer(16, 'Critic minibatches per epoch', { min: 1, max: 4096, live: true }),
    clip_vloss: flag(true, 'Clip the value loss around the collection-time values', { live: true }),
    clip_coef: real(0.2, 'Value-loss clipping range', { gt: 0, max: 10, live: true }),
  })
  .strict();
export type MdpoHparams = z.infer<typeof mdpoHparams>;

/**
 * Mirror descent's step size t_k = 1 - (k - 1)/K for the 1-based update k of K; the KL weight is
 * 1/t_k. Held at its last value 1/K should a run go past K updates.
 */
export function mdpoStepSize(update: number, totalUpdates: number): number {
  return Math.max(1 - (update - 1) / totalUpdates, 1 / totalUpdates);
}

export interface MdpoLossTerms {
  /** -mean(ρ Â). */
  policyLoss: number;
  /** mean KL(π_θ || π_old). */
  kl: number;
}

/**
 * The MDPO policy loss -mean(ρ Â) + klWeight · mean KL(π_θ || π_old) at the current parameters, over
 * the whole batch; with `withGradient`, leaves its gradient in the agent's grads (zeroed first).
 * advantages [B] (already standardized); old.heads [B, headSize]; old.logStd [A].
 */
export function mdpoLoss(
  agent: ActorCritic,
  batch: RolloutBatch,
  advantages: Float32Array,
  old: { heads: Float32Array; logStd: Float32Array },
  klWeight: number,
  buffers: { dLogProbs: Float32Array; zeros: Float32Array; kl: Float32Array; dKl: Float32Array },
  withGradient: boolean,
): MdpoLossTerms {
  const rows = batch.numSteps * batch.numEnvs;
  const { logProbs, heads } = agent.evaluate(batch.obs, batch.actions, rows);
  let surrogate = 0;
  for (let i = 0; i < rows; i++) {
    const ratio = Math.exp(logProbs[i] - batch.logProbs[i]);
    surrogate += ratio * advantages[i];
    buffers.dLogProbs[i] = (-ratio * advantages[i]) / rows;
  }
  klToOld(agent, old.heads, old.logStd, heads, rows, buffers.kl);
  if (withGradient) {
    buffers.dKl.fill(klWeight / rows);
    agent.zeroGrads();
    agent.backward(buffers.dLogProbs, buffers.zeros, buffers.zeros, rows, (dHead, dLogStd) =>
      klToOldBackward(agent, old.heads, old.logStd, heads, rows, buffers.dKl, dHead, dLogStd),
    );
  }
  return { policyLoss: -surrogate / rows, kl: mean(buffers.kl, rows) };
}

class Mdpo implements OnPolicyAlgorithm {
  private readonly policyOptimizer: OptimizerStep;
  private readonly critic: CriticFit;
  private readonly old: OldPolicy;
  private advantages = new Float32Array(0);
  private buffers = { dLogProbs: new Float32Array(0), zeros: new Float32Array(0), kl: new Float32Array(0), dKl: new Float32Array(0) };

  constructor(
    private readonly agent: ActorCritic,
    private hp: MdpoHparams,
    rng: Rng,
  ) {
    this.policyOptimizer = new OptimizerStep(agent, { groups: agent.paramGroups().filter((g) => g.name !== 'critic') });
    this.critic = new CriticFit(agent, rng);
    this.old = new OldPolicy(agent);
  }

  setHparams(values: Record<string, unknown>): void {
    this.hp = mdpoHparams.parse({ ...this.hp, ...values });
  }

  update(batch: RolloutBatch, context: UpdateContext): UpdateStats {
    const { agent, hp } = this;
    const rows = batch.numSteps * batch.numEnvs;
    if (this.advantages.length !== rows) {
      this.advantages = new Float32Array(rows);
      this.buffers = { dLogProbs: new Float32Array(rows), zeros: new Float32Array(rows), kl: new Float32Array(rows), dKl: new Float32Array(rows) };
    }
    this.advantages.set(batch.advantages.subarray(0, rows));
    if (hp.norm_adv) normalizeAdvantages(this.advantages);
    this.old.capture(batch.obs, rows);
    const stepSize = mdpoStepSize(context.update, context.totalUpdates);
    let gradNorm = 0,
      first: MdpoLossTerms | null = null;
    for (let s = 0; s < hp.sgd_steps; s++) {
      const terms = mdpoLoss(agent, batch, this.advantages, this.old, 1 / stepSize, this.buffers, true);
      first ??= terms;
      gradNorm += this.policyOptimizer.step(context.learningRate, hp.max_grad_norm);
    }
    // Where the steps ended: the KL the update reached.
    const last = mdpoLoss(agent, batch, this.advantages, this.old, 1 / stepSize, this.buffers, false);
    const fit = this.critic.fit(batch, {
      epochs: hp.critic_epochs,
      numMinibatches: hp.num_minibatches,
      learningRate: context.learningRate,
      maxGradNorm: hp.max_grad_norm,
      clipRange: hp.clip_vloss ? hp.clip_coef : null,
    });
    return {
      policy_loss: last.policyLoss,
      policy_loss_before: (first as MdpoLossTerms).policyLoss,
      kl: last.kl,
      kl_coef: 1 / stepSize,
      policy_grad_norm: gradNorm / hp.sgd_steps,
      value_loss: fit.valueLoss,
      grad_norm: fit.gradNorm,
      explained_variance: explainedVariance(batch.values, batch.returns),
    };
  }

  saveState() {
    return joinStates({ policy: this.policyOptimizer.saveState(), critic: this.critic.optimizer.saveState() });
  }

  loadState(state: Parameters<OnPolicyAlgorithm['loadState']>[0]): void {
    this.policyOptimizer.loadState(partState(state, 'policy'));
    this.critic.optimizer.loadState(partState(state, 'critic'));
  }
}

export const mdpo: AlgorithmDefinition<typeof mdpoHparams> = {
  id: 'mdpo',
  title: 'MDPO',
  description: 'Mirror Descent Policy Optimization (on-policy): full-batch Adam steps on a KL-regularized surrogate',
  hparamsSchema: mdpoHparams,
  create: (agent, hparams, rng) => new Mdpo(agent, hparams, rng),
};
