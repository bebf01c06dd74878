/**
 * The machinery PPO and its variants (DPO) share: a loss built from the probability ratio
 * ρ = π_θ(a|s) / π_old(a|s) per sample, plus the value loss and entropy bonus, minimized over
 * shuffled minibatches for several epochs by one Adam with a global gradient-norm clip and an
 * optional target-KL early stop (CleanRL's ppo_continuous_action.py). A variant supplies only its
 * per-sample policy term.
 */
import type { z } from 'zod';
import type { OnPolicyAlgorithm, RolloutBatch, UpdateContext, UpdateStats } from './algorithm.ts';
import { MinibatchSampler, type LossGradients, type Minibatch } from './minibatch.ts';
import { explainedVariance } from './diagnostics.ts';
import { OptimizerStep } from './optimizer-step.ts';
import { valueLoss } from './value-loss.ts';
import type { ActorCritic, Evaluation } from '../agent/actor-critic.ts';
import type { Rng } from '../../sim/index.ts';

/** What a per-sample policy term reports: its loss, dLoss/dlogρ, and whether it is "active" (clipped, drifting). */
export interface PolicyTermResult {
  loss: number;
  dLogRatio: number;
  active: boolean;
}

/** The policy loss of one sample from ρ, log ρ and its advantage; writes into `out`. */
export type PolicyTerm = (ratio: number, logRatio: number, advantage: number, out: PolicyTermResult) => void;

export interface RatioLossHparams {
  clip_coef: number;
  clip_vloss: boolean;
  ent_coef: number;
  vf_coef: number;
}

export interface RatioLossTerms {
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
export function ratioLoss(current: Evaluation, mb: Minibatch, m: number, hp: RatioLossHparams, term: PolicyTerm, grads: LossGradients): RatioLossTerms {
  const { logProbs, entropies } = current;
  const { dLogProbs, dEntropies } = grads;
  const out: PolicyTermResult = { loss: 0, dLogRatio: 0, active: false };
  let pg = 0, ent = 0, kl = 0, oldKl = 0, active = 0;
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
export interface RatioUpdateHparams extends RatioLossHparams {
  num_minibatches: number;
  update_epochs: number;
  norm_adv: boolean;
  target_kl: number | null;
  max_grad_norm: number;
}

export interface RatioAlgorithmSpec<H extends RatioUpdateHparams> {
  schema: z.ZodType<H>;
  /** The per-sample policy term for these hyperparameters. */
  policyTerm: (hp: H) => PolicyTerm;
  /** The stats name of the active fraction (PPO: clip_fraction). */
  activeStat: string;
}

/** A ratio-objective algorithm: PPO with its policy term swapped for the variant's. */
export class RatioObjectiveAlgorithm<H extends RatioUpdateHparams> implements OnPolicyAlgorithm {
  private readonly optimizer: OptimizerStep;
  private readonly sampler: MinibatchSampler;

  constructor(
    private readonly agent: ActorCritic,
    private hp: H,
    rng: Rng,
    private readonly spec: RatioAlgorithmSpec<H>,
  ) {
    this.optimizer = new OptimizerStep(agent);
    this.sampler = new MinibatchSampler(agent, rng);
  }

  setHparams(values: Record<string, unknown>): void {
    this.hp = this.spec.schema.parse({ ...this.hp, ...values });
  }

  update(batch: RolloutBatch, context: UpdateContext): UpdateStats {
    const hp = this.hp;
    const term = this.spec.policyTerm(hp);
    const batchSize = batch.numSteps * batch.numEnvs;
    const minibatchSize = Math.max(1, Math.floor(batchSize / hp.num_minibatches));
    let policyLoss = 0, valueLossSum = 0, entropy = 0, approxKl = 0, oldApproxKl = 0, activeFraction = 0, gradNorm = 0;
    let minibatches = 0, epochsRun = 0;

    for (let epoch = 0; epoch < hp.update_epochs; epoch++) {
      epochsRun++;
      this.sampler.shuffle(batchSize);
      for (let start = 0; start + minibatchSize <= batchSize; start += minibatchSize) {
        const mb = this.sampler.gather(batch, start, minibatchSize, hp.norm_adv);
        const terms = ratioLoss(this.agent.evaluate(mb.obs, mb.actions, minibatchSize), mb, minibatchSize, hp, term, this.sampler.gradients);
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
      [this.spec.activeStat]: activeFraction / n,
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
