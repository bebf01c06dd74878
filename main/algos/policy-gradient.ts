/**
 * The vanilla policy-gradient update REINFORCE and A2C share: ONE gradient step per rollout, on the
 * whole batch, of
 *
 *   L = -mean(w · log π(a|s)) - ent_coef · mean(H) + vf_coef · ½ mean((V(s) - R)²),
 *
 * where the weights w [B] are what distinguishes them (Monte-Carlo returns, or advantages), with
 * the optimizer (Adam, or A2C's RMSprop).
 */
import type { z } from 'zod';
import type { OnPolicyAlgorithm, RolloutBatch, UpdateContext, UpdateStats } from './algorithm.ts';
import type { LossGradients } from './minibatch.ts';
import { explainedVariance } from './diagnostics.ts';
import { OptimizerStep, type OptimizerStepOptions } from './optimizer-step.ts';
import { valueLoss } from './value-loss.ts';
import { normalizeAdvantages } from '../rl/normalize-advantages.ts';
import type { ActorCritic, Evaluation } from '../agent/actor-critic.ts';

export interface PolicyGradientLossTerms {
  policyLoss: number;
  valueLoss: number;
  entropy: number;
}

/**
 * The loss above over m samples; writes its per-sample gradients w.r.t. log-probs, entropies and
 * values into `grads`. weights, returns: [m].
 */
export function policyGradientLoss(
  current: Evaluation,
  weights: Float32Array,
  returns: Float32Array,
  m: number,
  hp: { ent_coef: number; vf_coef: number },
  grads: LossGradients,
): PolicyGradientLossTerms {
  let pg = 0,
    ent = 0;
  for (let i = 0; i < m; i++) {
    pg -= weights[i] * current.logProbs[i];
    grads.dLogProbs[i] = -weights[i] / m;
    ent += current.entropies[i];
    grads.dEntropies[i] = -hp.ent_coef / m;
  }
  // No clipping: the old values only matter to a clipped value loss.
  const vl = valueLoss(current.values, returns, current.values, m, null, hp.vf_coef, grads.dValues);
  return { policyLoss: pg / m, valueLoss: vl, entropy: ent / m };
}

/** The hyperparameters the step reads. */
export interface PolicyGradientHparams {
  ent_coef: number;
  vf_coef: number;
  max_grad_norm: number;
  norm_adv: boolean;
}

export interface PolicyGradientSpec<H extends PolicyGradientHparams> {
  schema: z.ZodType<H>;
  /** The per-sample weights w [B] of log π in this batch (read, not modified). */
  weights: (batch: RolloutBatch, hp: H) => Float32Array;
  /** The optimizer (default: Adam with eps 1e-5). */
  optimizer?: OptimizerStepOptions['optimizer'];
}

/** REINFORCE or A2C, by their weights: one step on the whole batch per update. */
export class PolicyGradientAlgorithm<H extends PolicyGradientHparams> implements OnPolicyAlgorithm {
  private readonly optimizer: OptimizerStep;
  private weights = new Float32Array(0);
  private grads: LossGradients = { dLogProbs: new Float32Array(0), dEntropies: new Float32Array(0), dValues: new Float32Array(0) };

  constructor(
    private readonly agent: ActorCritic,
    private hp: H,
    private readonly spec: PolicyGradientSpec<H>,
  ) {
    this.optimizer = new OptimizerStep(agent, { optimizer: spec.optimizer });
  }

  setHparams(values: Record<string, unknown>): void {
    this.hp = this.spec.schema.parse({ ...this.hp, ...values });
  }

  update(batch: RolloutBatch, context: UpdateContext): UpdateStats {
    const hp = this.hp;
    const rows = batch.numSteps * batch.numEnvs;
    if (this.weights.length !== rows) {
      this.weights = new Float32Array(rows);
      this.grads = { dLogProbs: new Float32Array(rows), dEntropies: new Float32Array(rows), dValues: new Float32Array(rows) };
    }
    this.weights.set(this.spec.weights(batch, hp).subarray(0, rows));
    if (hp.norm_adv) normalizeAdvantages(this.weights);
    const terms = policyGradientLoss(this.agent.evaluate(batch.obs, batch.actions, rows), this.weights, batch.returns, rows, hp, this.grads);
    this.agent.zeroGrads();
    this.agent.backward(this.grads.dLogProbs, this.grads.dEntropies, this.grads.dValues, rows);
    const gradNorm = this.optimizer.step(context.learningRate, hp.max_grad_norm);
    return {
      policy_loss: terms.policyLoss,
      value_loss: terms.valueLoss,
      entropy: terms.entropy,
      grad_norm: gradNorm,
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
