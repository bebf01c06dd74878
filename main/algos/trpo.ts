/**
 * Trust Region Policy Optimization (Schulman et al. 2015), one natural-gradient step per rollout as
 * SB3-contrib's trpo.py and OpenAI Baselines' trpo_mpi take it:
 *
 *   g = ∇θ L(θ_old),  L(θ) = mean(ρ(θ)·Â) + c·H(θ)  surrogate, Â normalized over the batch,
 *                                                    H the mean entropy (c = ent_coef, 0 by default)
 *   x ≈ (F + damping·I)⁻¹ g                          conjugate gradient on Fisher-vector products
 *   β = sqrt(2·max_kl / xᵀ(F + damping·I)x)          the step that reaches max_kl to second order
 *   θ = θ_old + shrinkⁱ·β·x, i = 0, 1, ...           backtracking line search, accepting the first
 *                                                    step with mean KL(old || new) <= max_kl AND
 *                                                    L(θ) > L(θ_old); none: θ stays θ_old
 *
 * then the critic alone is fitted by Adam over several epochs of minibatches. Defaults: max_kl 0.01,
 * damping 0.1, 10 CG iterations, 10 line-search steps x 0.8, 10 critic epochs (PolicyGradientsJax
 * trpo.py and SB3-contrib agree); critic lr 1e-3 and minibatches of 128 (2048 / 16) from SB3-contrib.
 * The entropy bonus is OpenAI Baselines' (trpo_mpi's entcoeff, 0 by default there too).
 * PolicyGradientsJax instead takes one natural step per minibatch (8 per iteration); one step on the
 * whole batch is the original algorithm. Split Brax-style: conjugate-gradient.ts, fisher-vector-product.ts.
 */
import { z } from 'zod';
import type { AlgorithmDefinition, OnPolicyAlgorithm, RolloutBatch, UpdateContext, UpdateStats } from './algorithm.ts';
import { flag, integer, onPolicyCommon, real } from './hparams.ts';
import { explainedVariance } from './diagnostics.ts';
import { CriticFit } from './critic-fit.ts';
import { conjugateGradient, dot } from './conjugate-gradient.ts';
import { FisherVectorProduct, policyParamCount, readPolicyGrads, readPolicyParams, writePolicyParams } from './fisher-vector-product.ts';
import { OldPolicy, klFromOld, mean } from './old-policy.ts';
import { normalizeAdvantages } from '../rl/normalize-advantages.ts';
import type { ActorCritic } from '../agent/actor-critic.ts';
import type { Rng } from '../../sim/index.ts';

export const trpoHparams = z
  .object({
    ...onPolicyCommon,
    learning_rate: real(1e-3, 'Critic Adam learning rate (the policy takes natural-gradient steps)', { gt: 0, max: 1, live: true }),
    anneal_lr: flag(false, 'Anneal the critic learning rate linearly to 0 over training'),
    max_kl: real(0.01, 'Trust region: largest mean KL(old || new) a policy step may reach', { gt: 0, max: 10, live: true }),
    cg_iters: integer(10, 'Conjugate-gradient iterations for the natural gradient', { min: 1, max: 200, live: true }),
    cg_damping: real(0.1, 'Damping added to the Fisher matrix: (F + damping I) x = g', { min: 0, max: 100, live: true }),
    line_search_steps: integer(10, 'Backtracking line-search steps before giving up', { min: 1, max: 100, live: true }),
    line_search_shrink: real(0.8, 'Step-size factor per line-search step', { gt: 0, max: 0.99, live: true }),
    norm_adv: flag(true, 'Normalize advantages over the batch', { live: true }),
    ent_coef: real(0, 'Entropy bonus coefficient in the surrogate', { min: 0, max: 1, live: true }),
    critic_epochs: integer(10, 'Critic passes over each rollout', { min: 1, max: 100, live: true }),
    num_minibatches: integer(16, 'Critic minibatches per epoch', { min: 1, max: 4096, live: true }),
  })
  .strict();
export type TrpoHparams = z.infer<typeof trpoHparams>;

/** What one TRPO policy step did. */
export interface TrpoStepResult {
  /** Mean KL(old || new) of the accepted step (0 when none was). */
  kl: number;
  /** Candidate steps evaluated. */
  lineSearchSteps: number;
  accepted: boolean;
  /** L(θ) - L(θ_old) of the accepted step. */
  improvement: number;
  /** gᵀ(β·x): the improvement the linear model predicts for the full step. */
  expectedImprovement: number;
  policyGradNorm: number;
  cgResidual: number;
}

class Trpo implements OnPolicyAlgorithm {
  private readonly critic: CriticFit;
  private readonly old: OldPolicy;
  private readonly fisher: FisherVectorProduct;
  private advantages = new Float32Array(0);
  private dLogProbs = new Float32Array(0);
  private dEntropies = new Float32Array(0);
  private zeros = new Float32Array(0);
  private kl = new Float32Array(0);

  constructor(
    private readonly agent: ActorCritic,
    private hp: TrpoHparams,
    rng: Rng,
  ) {
    this.critic = new CriticFit(agent, rng);
    this.old = new OldPolicy(agent);
    this.fisher = new FisherVectorProduct(agent);
  }

  setHparams(values: Record<string, unknown>): void {
    this.hp = trpoHparams.parse({ ...this.hp, ...values });
  }

  update(batch: RolloutBatch, context: UpdateContext): UpdateStats {
    const step = this.policyStep(batch);
    const fit = this.critic.fit(batch, {
      epochs: this.hp.critic_epochs,
      numMinibatches: this.hp.num_minibatches,
      learningRate: context.learningRate,
      maxGradNorm: this.hp.max_grad_norm,
      clipRange: null,
    });
    return {
      kl: step.kl,
      line_search_steps: step.lineSearchSteps,
      step_accepted: step.accepted ? 1 : 0,
      surrogate_improvement: step.improvement,
      expected_improvement: step.expectedImprovement,
      policy_grad_norm: step.policyGradNorm,
      cg_residual: step.cgResidual,
      value_loss: fit.valueLoss,
      grad_norm: fit.gradNorm,
      explained_variance: explainedVariance(batch.values, batch.returns),
    };
  }

  /** The natural-gradient step with line search on the whole batch. */
  private policyStep(batch: RolloutBatch): TrpoStepResult {
    const { agent, hp } = this;
    const rows = batch.numSteps * batch.numEnvs;
    this.ensureBuffers(rows);
    const adv = this.advantages;
    adv.set(batch.advantages.subarray(0, rows));
    if (hp.norm_adv) normalizeAdvantages(adv);

    this.old.capture(batch.obs, rows);
    const thetaOld = new Float64Array(policyParamCount(agent));
    readPolicyParams(agent, thetaOld);

    // g = ∇L at θ_old: L = mean(ρ Â) + c·mean(H), ∂L/∂logπ_i = ρ_i Â_i / B (ρ = 1 up to rounding), ∂L/∂H_i = c / B.
    const surrogateOld = this.evaluatePolicy(batch, rows).surrogate;
    agent.zeroGrads();
    agent.backward(this.dLogProbs, this.dEntropies.fill(-hp.ent_coef / rows), this.zeros, rows);
    const g = new Float64Array(thetaOld.length);
    readPolicyGrads(agent, g);
    for (let i = 0; i < g.length; i++) g[i] = -g[i]; // backward gave ∇(-L)
    const policyGradNorm = Math.sqrt(dot(g, g));

    this.fisher.prepare(batch.obs, rows);
    const multiply = (v: Float64Array, out: Float64Array) => this.fisher.multiply(v, out, hp.cg_damping);
    const cg = conjugateGradient(multiply, g, hp.cg_iters);
    const fx = new Float64Array(g.length);
    multiply(cg.x, fx);
    const xFx = dot(cg.x, fx);
    const result: TrpoStepResult = {
      kl: 0,
      lineSearchSteps: 0,
      accepted: false,
      improvement: 0,
      expectedImprovement: 0,
      policyGradNorm,
      cgResidual: cg.residualSquared,
    };
    if (!(xFx > 0) || !Number.isFinite(xFx)) return result; // g = 0: nothing to climb
    const beta = Math.sqrt((2 * hp.max_kl) / xFx);
    result.expectedImprovement = beta * dot(g, cg.x);

    const theta = new Float64Array(thetaOld.length);
    let fraction = 1;
    for (let i = 0; i < hp.line_search_steps; i++, fraction *= hp.line_search_shrink) {
      for (let j = 0; j < theta.length; j++) theta[j] = thetaOld[j] + fraction * beta * cg.x[j];
      writePolicyParams(agent, theta);
      const { surrogate, kl } = this.evaluatePolicy(batch, rows);
      result.lineSearchSteps = i + 1;
      if (kl <= hp.max_kl && surrogate > surrogateOld) {
        Object.assign(result, { kl, accepted: true, improvement: surrogate - surrogateOld });
        return result;
      }
    }
    writePolicyParams(agent, thetaOld);
    return result;
  }

  /**
   * L = mean(ρ Â) + c·mean(H) and mean KL(old || current) at the current θ. Leaves the evaluation
   * for backward and ∂(-L)/∂logπ in dLogProbs.
   */
  private evaluatePolicy(batch: RolloutBatch, rows: number): { surrogate: number; kl: number } {
    const { logProbs, entropies, heads } = this.agent.evaluate(batch.obs, batch.actions, rows);
    let sum = 0;
    for (let i = 0; i < rows; i++) {
      const ratio = Math.exp(logProbs[i] - batch.logProbs[i]);
      sum += ratio * this.advantages[i];
      this.dLogProbs[i] = (-ratio * this.advantages[i]) / rows;
    }
    klFromOld(this.agent, this.old.heads, this.old.logStd, heads, rows, this.kl);
    return { surrogate: sum / rows + this.hp.ent_coef * mean(entropies, rows), kl: mean(this.kl, rows) };
  }

  private ensureBuffers(rows: number): void {
    if (this.advantages.length === rows) return;
    this.advantages = new Float32Array(rows);
    this.dLogProbs = new Float32Array(rows);
    this.dEntropies = new Float32Array(rows);
    this.zeros = new Float32Array(rows);
    this.kl = new Float32Array(rows);
  }

  saveState() {
    return this.critic.optimizer.saveState();
  }

  loadState(state: Parameters<OnPolicyAlgorithm['loadState']>[0]): void {
    this.critic.optimizer.loadState(state);
  }
}

export const trpo: AlgorithmDefinition<typeof trpoHparams> = {
  id: 'trpo',
  title: 'TRPO',
  description: 'Trust Region Policy Optimization: conjugate-gradient natural step, KL-bounded line search',
  hparamsSchema: trpoHparams,
  create: (agent, hparams, rng) => new Trpo(agent, hparams, rng),
};
