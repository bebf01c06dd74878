/**
 * Proximal Policy Optimization (Schulman et al. 2017) with the implementation details of CleanRL's
 * ppo_continuous_action.py. One update, given a rollout with GAE advantages and returns:
 *
 *   for epoch in 1..update_epochs:
 *     for each shuffled minibatch (advantages normalized per minibatch when norm_adv):
 *       ρ = π_θ(a|s) / π_old(a|s)
 *       L_pg  = mean max(-Â·ρ, -Â·clip(ρ, 1-ε, 1+ε))                       the clipped surrogate
 *       L_v   = mean ½·max((V - R)², (V_old + clip(V - V_old, ±ε) - R)²)      clipped when clip_vloss
 *       L     = L_pg - ent_coef · mean H[π_θ] + vf_coef · L_v
 *       one Adam step on L over both networks, global gradient norm clipped to max_grad_norm
 *     stop early when the approximate KL(π_old || π_θ) passes target_kl
 *
 * DPO and GRPO run this same update with their own per-sample policy term in place of the clip.
 */
import { z } from 'zod';
import type { AlgorithmDefinition, OnPolicyAlgorithm, RolloutBatch, UpdateContext, UpdateStats } from './algorithm.ts';
import { explainedVariance } from './diagnostics.ts';
import { integer, onPolicyCommon, optionalReal, real, flag } from './hparams.ts';
import { MinibatchSampler, type LossGradients, type Minibatch } from './minibatch.ts';
import { OptimizerStep } from './optimizer-step.ts';
import { valueLoss } from './value-loss.ts';
import type { ActorCritic, Evaluation } from '../agent/actor-critic.ts';
import type { Rng } from '../../sim/index.ts';

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

/** What a per-sample policy term reports: its loss, dLoss/dlogρ, and whether it is "active" (clipped, drifting). */
export interface PolicyTermResult {
  loss: number;
  dLogRatio: number;
  active: boolean;
}

/** The policy loss of one sample from ρ, log ρ and its advantage; writes into `out`. */
export type PolicyTerm = (ratio: number, logRatio: number, advantage: number, out: PolicyTermResult) => void;

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

/** The hyperparameters the loss reads (DPO and GRPO share them). */
export type PpoLossHparams = Pick<PpoHparams, 'clip_coef' | 'clip_vloss' | 'ent_coef' | 'vf_coef'>;

export interface PpoLossTerms {
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  /** k3 estimator of KL(old || new) (Schulman, "Approximating KL divergence"). */
  approxKl: number;
  oldApproxKl: number;
  /** Fraction of samples whose policy term was active (PPO: clipped). */
  activeFraction: number;
}

/**
 * Loss of one minibatch: mean policy term - ent_coef · entropy + vf_coef · value loss (the value
 * loss clipped by clip_coef when clip_vloss), and its per-sample gradients w.r.t. log-probs,
 * entropies and values, written into `grads`. Shapes: the minibatch's [m] arrays.
 */
export function ppoLoss(current: Evaluation, mb: Minibatch, m: number, hp: PpoLossHparams, term: PolicyTerm, grads: LossGradients): PpoLossTerms {
  const { logProbs, entropies } = current;
  const { dLogProbs, dEntropies } = grads;
  const out: PolicyTermResult = { loss: 0, dLogRatio: 0, active: false };
  let pg = 0,
    ent = 0,
    kl = 0,
    oldKl = 0,
    active = 0;
  for (let i = 0; i < m; i++) {
    const logRatio = logProbs[i] - mb.logProbs[i];
    const ratio = Math.exp(logRatio);
    term(ratio, logRatio, mb.advantages[i], out);
    pg += out.loss;
    dLogProbs[i] = out.dLogRatio / m;
    if (out.active) active++;
    ent += entropies[i];
    dEntropies[i] = -hp.ent_coef / m;
    kl += ratio - 1 - logRatio;
    oldKl += -logRatio;
  }
  const vl = valueLoss(current.values, mb.returns, mb.values, m, hp.clip_vloss ? hp.clip_coef : null, hp.vf_coef, grads.dValues);
  return { policyLoss: pg / m, valueLoss: vl, entropy: ent / m, approxKl: kl / m, oldApproxKl: oldKl / m, activeFraction: active / m };
}

/** The hyperparameters the minibatch epochs read. */
export type PpoUpdateHparams = PpoLossHparams & Pick<PpoHparams, 'num_minibatches' | 'update_epochs' | 'norm_adv' | 'target_kl' | 'max_grad_norm'>;

export interface PpoVariant<H extends PpoUpdateHparams> {
  schema: z.ZodType<H>;
  /** The per-sample policy term for these hyperparameters (PPO: the clipped surrogate). */
  policyTerm: (hp: H) => PolicyTerm;
  /** The stats name of the active fraction (PPO: clip_fraction). */
  activeStat: string;
}

/** PPO's update: minibatch epochs over the rollout, with an early stop on KL. */
export class PpoUpdate<H extends PpoUpdateHparams> implements OnPolicyAlgorithm {
  private readonly optimizer: OptimizerStep;
  private readonly sampler: MinibatchSampler;

  constructor(
    private readonly agent: ActorCritic,
    private hp: H,
    rng: Rng,
    private readonly variant: PpoVariant<H>,
  ) {
    this.optimizer = new OptimizerStep(agent);
    this.sampler = new MinibatchSampler(agent, rng);
  }

  setHparams(values: Record<string, unknown>): void {
    this.hp = this.variant.schema.parse({ ...this.hp, ...values });
  }

  update(batch: RolloutBatch, context: UpdateContext): UpdateStats {
    const hp = this.hp;
    const term = this.variant.policyTerm(hp);
    const batchSize = batch.numSteps * batch.numEnvs;
    const minibatchSize = Math.max(1, Math.floor(batchSize / hp.num_minibatches));
    let policyLoss = 0,
      valueLossSum = 0,
      entropy = 0,
      approxKl = 0,
      oldApproxKl = 0,
      activeFraction = 0,
      gradNorm = 0;
    let minibatches = 0,
      epochsRun = 0;

    for (let epoch = 0; epoch < hp.update_epochs; epoch++) {
      epochsRun++;
      this.sampler.shuffle(batchSize);
      for (let start = 0; start + minibatchSize <= batchSize; start += minibatchSize) {
        const mb = this.sampler.gather(batch, start, minibatchSize, hp.norm_adv);
        const terms = ppoLoss(this.agent.evaluate(mb.obs, mb.actions, minibatchSize), mb, minibatchSize, hp, term, this.sampler.gradients);
        this.agent.zeroGrads();
        const { dLogProbs, dEntropies, dValues } = this.sampler.gradients;
        this.agent.backward(dLogProbs, dEntropies, dValues, minibatchSize);
        gradNorm += this.optimizer.step(context.learningRate, hp.max_grad_norm);
        policyLoss += terms.policyLoss;
        valueLossSum += terms.valueLoss;
        entropy += terms.entropy;
        approxKl = terms.approxKl;
        oldApproxKl = terms.oldApproxKl;
        activeFraction += terms.activeFraction;
        minibatches++;
      }
      if (hp.target_kl !== null && approxKl > hp.target_kl) break;
    }
    const n = Math.max(1, minibatches);
    return {
      policy_loss: policyLoss / n,
      value_loss: valueLossSum / n,
      entropy: entropy / n,
      approx_kl: approxKl,
      old_approx_kl: oldApproxKl,
      [this.variant.activeStat]: activeFraction / n,
      grad_norm: gradNorm / n,
      epochs: epochsRun,
      explained_variance: explainedVariance(batch.values, batch.returns),
    };
  }

  saveState() {
    return this.optimizer.saveState();
  }

  loadState(state: Parameters<OnPolicyAlgorithm['loadState']>[0]): void {
    this.optimizer.loadState(state);
  }
}

export const ppo: AlgorithmDefinition<typeof ppoHparams> = {
  id: 'ppo',
  title: 'PPO',
  description: 'Proximal Policy Optimization: clipped surrogate, GAE, minibatch epochs (CleanRL details)',
  hparamsSchema: ppoHparams,
  create: (agent, hparams, rng) =>
    new PpoUpdate(agent, hparams, rng, { schema: ppoHparams, policyTerm: (hp) => clippedSurrogate(hp.clip_coef), activeStat: 'clip_fraction' }),
};
