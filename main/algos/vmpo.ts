/**
 * V-MPO (Song et al. 2019, "V-MPO: On-Policy Maximum a Posteriori Policy Optimization for Discrete
 * and Continuous Control"), following PolicyGradientsJax's vmpo.py, per minibatch of m samples:
 *
 *   keep the samples with Â >= median(Â) (top half)            no advantage normalization
 *   ψ_i = softmax(Â_i / η) over the kept samples              η: temperature (sg in ψ)
 *   L_π = -Σ_kept ψ_i log π(a_i|s_i)
 *   L_η = η·ε_η + η·log mean_kept exp(Â_i / η)
 *   L_α = Σ_{c ∈ {μ, σ}} α_c·(ε_c - sg KL_c) + sg(α_c)·KL_c    decoupled Gaussian trust regions
 *   L_V = vf_coef · ½ mean (V(s) - R)²
 *
 * KL_μ = mean_b Σ_k (μ - μ_old)² / (2σ_old²)  (the KL with the old std),
 * KL_σ = Σ_k log σ/σ_old + σ_old² / (2σ²) - ½ (the KL with the old mean; the log-std is
 * state-independent), so KL(old || new) = KL_μ + KL_σ with σ = σ_old. Discrete actions: one
 * constraint, α_μ on the categorical KL(old || new) with ε_μ.
 *
 * The old policy is the one that COLLECTED the batch, captured by one actor forward before the
 * update's first step (old-policy.ts). PolicyGradientsJax computes kl(stop_gradient(logits), logits),
 * the current policy against itself: always 0, so there α only grows and the trust region is inert.
 * Here KL is 0 on the first minibatch and grows as the epochs move the policy.
 *
 * The multipliers η, α_μ, α_σ are plain parameters (initial 1), trained by the same Adam as the
 * networks (inside the same global gradient-norm clip) and clamped to >= 1e-8 after every step, as
 * PolicyGradientsJax does; no softplus or log parametrization, so ε_c directly sets where α_c's
 * gradient ε_c - KL_c changes sign. Other defaults are PolicyGradientsJax's: 10 epochs, 8
 * minibatches (there, one env's whole 2048-step unroll each; here shuffled transitions),
 * vf_coef 1, ε_η 0.01, ε_μ 0.01, ε_σ 5e-5.
 */
import { z } from 'zod';
import type { AlgorithmDefinition, OnPolicyAlgorithm, RolloutBatch, UpdateContext, UpdateStats } from './algorithm.ts';
import { flag, integer, onPolicyCommon, real } from './hparams.ts';
import { MinibatchSampler, type LossGradients, type Minibatch } from './minibatch.ts';
import { explainedVariance } from './diagnostics.ts';
import { OptimizerStep } from './optimizer-step.ts';
import { valueLoss } from './value-loss.ts';
import { OldPolicy, klFromOld, klFromOldBackward, mean } from './old-policy.ts';
import * as gaussian from '../rl/distributions/diag-gaussian.ts';
import type { ActorCritic, Evaluation, ParamGroup } from '../agent/actor-critic.ts';
import type { Rng } from '../../sim/index.ts';

/** The floor of every Lagrange multiplier after each step. */
export const MIN_MULTIPLIER = 1e-8;

export const vmpoHparams = z
  .object({
    ...onPolicyCommon,
    num_minibatches: integer(8, 'Minibatches per epoch (top half and softmax are per minibatch)', { min: 1, max: 4096, live: true }),
    update_epochs: integer(10, 'Passes over each rollout', { min: 1, max: 100, live: true }),
    norm_adv: flag(false, 'Normalize advantages per minibatch', { live: true }),
    top_half: flag(true, 'Use only samples with advantage >= the minibatch median in L_pi and L_eta', { live: true }),
    eps_eta: real(0.01, 'Temperature constraint epsilon_eta', { gt: 0, max: 10, live: true }),
    eps_mu: real(0.01, 'Trust region on the mean (discrete: on the whole KL) epsilon_mu', { gt: 0, max: 10, live: true }),
    eps_sigma: real(5e-5, 'Trust region on the std epsilon_sigma', { gt: 0, max: 10, live: true }),
    eta_init: real(1, 'Initial temperature eta', { gt: 0, max: 1000 }),
    alpha_mu_init: real(1, 'Initial multiplier alpha_mu', { gt: 0, max: 1000 }),
    alpha_sigma_init: real(1, 'Initial multiplier alpha_sigma', { gt: 0, max: 1000 }),
    vf_coef: real(1, 'Value loss coefficient (on ½ MSE)', { min: 0, max: 100, live: true }),
  })
  .strict();
export type VmpoHparams = z.infer<typeof vmpoHparams>;

/** Indices into the multipliers array. */
const ETA = 0,
  ALPHA_MU = 1,
  ALPHA_SIGMA = 2;

/**
 * selected[i] = 1 where advantages[i] >= their median (the mean of the two middle values for even m,
 * like jnp.median), else 0; returns how many. advantages, selected: [m].
 */
export function selectTopHalf(advantages: Float32Array, m: number, selected: Uint8Array): number {
  const sorted = Float64Array.from(advantages.subarray(0, m)).sort();
  const median = m % 2 === 1 ? sorted[(m - 1) / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
  let count = 0;
  for (let i = 0; i < m; i++) count += selected[i] = advantages[i] >= median ? 1 : 0;
  return count;
}

/**
 * ψ = softmax(Â/η) over the selected samples (0 elsewhere) into weights [m], and the temperature loss
 * L_η = η ε_η + η log mean_sel exp(Â/η) with dL_η/dη = ε_η + log mean_sel exp(Â/η) - Σ ψ Â / η.
 */
export function temperatureLoss(
  advantages: Float32Array,
  selected: Uint8Array,
  m: number,
  eta: number,
  epsEta: number,
  weights: Float64Array,
): { loss: number; dEta: number } {
  let max = -Infinity,
    count = 0;
  for (let i = 0; i < m; i++) if (selected[i]) max = Math.max(max, advantages[i] / eta);
  let sum = 0;
  for (let i = 0; i < m; i++) {
    weights[i] = selected[i] ? Math.exp(advantages[i] / eta - max) : 0;
    sum += weights[i];
    count += selected[i];
  }
  let weightedAdvantage = 0;
  for (let i = 0; i < m; i++) {
    weights[i] /= sum;
    weightedAdvantage += weights[i] * advantages[i];
  }
  const logMeanExp = max + Math.log(sum) - Math.log(count);
  return { loss: eta * epsEta + eta * logMeanExp, dEta: epsEta + logMeanExp - weightedAdvantage / eta };
}

export interface VmpoLossTerms {
  /** -Σ ψ log π. */
  policyLoss: number;
  temperatureLoss: number;
  /** Mean decoupled KLs from the collecting policy (Discrete: klMu is the whole KL, klSigma 0). */
  klMu: number;
  klSigma: number;
  /** α_μ (ε_μ - KL_μ) + α_σ (ε_σ - KL_σ) + α_μ KL_μ + α_σ KL_σ, i.e. its value Σ α_c ε_c. */
  klLoss: number;
  valueLoss: number;
  selectedFraction: number;
}

/** Per-minibatch scratch of the V-MPO loss. */
export class VmpoScratch {
  selected = new Uint8Array(0);
  weights = new Float64Array(0);
  kl = new Float32Array(0);
  dKl = new Float32Array(0);
  /** Gaussian: old means as "new" means for KL_σ, and a sink for the gradients we do not want. */
  sinkHead = new Float32Array(0);
  sinkLogStd = new Float32Array(0);

  ensure(m: number, headSize: number, actionDims: number): void {
    if (this.selected.length !== m) {
      this.selected = new Uint8Array(m);
      this.weights = new Float64Array(m);
      this.kl = new Float32Array(m);
      this.dKl = new Float32Array(m);
    }
    if (this.sinkHead.length !== m * headSize) this.sinkHead = new Float32Array(m * headSize);
    if (this.sinkLogStd.length !== actionDims) this.sinkLogStd = new Float32Array(actionDims);
  }
}

/**
 * The V-MPO loss of one minibatch at multipliers [η, α_μ, α_σ]. Writes dLoss/dlogπ, dLoss/dV (and
 * zero entropy gradients) into grads, and dLoss/d(multipliers) into dMultipliers; the KL's gradient
 * w.r.t. the policy head is added by vmpoKlBackward inside the agent's backward.
 * oldHeads [m, headSize], oldLogStd [A]: the collecting policy on these rows.
 */
export function vmpoLoss(
  agent: ActorCritic,
  current: Evaluation,
  mb: Minibatch,
  oldHeads: Float32Array,
  oldLogStd: Float32Array,
  m: number,
  hp: VmpoHparams,
  multipliers: Float32Array,
  grads: LossGradients,
  dMultipliers: Float32Array,
  scratch: VmpoScratch,
): VmpoLossTerms {
  scratch.ensure(m, agent.headSize, agent.logStd.length);
  const { selected, weights } = scratch;
  let count = m;
  if (hp.top_half) count = selectTopHalf(mb.advantages, m, selected);
  else selected.fill(1);
  const temperature = temperatureLoss(mb.advantages, selected, m, multipliers[ETA], hp.eps_eta, weights);
  let policyLoss = 0;
  for (let i = 0; i < m; i++) {
    policyLoss -= weights[i] * current.logProbs[i];
    grads.dLogProbs[i] = -weights[i];
    grads.dEntropies[i] = 0;
  }
  const { klMu, klSigma } = decoupledKl(agent, oldHeads, oldLogStd, current.heads, m, scratch);
  const vl = valueLoss(current.values, mb.returns, mb.values, m, null, hp.vf_coef, grads.dValues);
  dMultipliers[ETA] = temperature.dEta;
  dMultipliers[ALPHA_MU] = hp.eps_mu - klMu;
  if (dMultipliers.length > ALPHA_SIGMA) dMultipliers[ALPHA_SIGMA] = agent.discrete ? 0 : hp.eps_sigma - klSigma;
  const klLoss = multipliers[ALPHA_MU] * hp.eps_mu + (agent.discrete ? 0 : multipliers[ALPHA_SIGMA] * hp.eps_sigma);
  return { policyLoss, temperatureLoss: temperature.loss, klMu, klSigma, klLoss, valueLoss: vl, selectedFraction: count / m };
}

/** Mean KL_μ and KL_σ (Discrete: the whole KL and 0). */
function decoupledKl(agent: ActorCritic, oldHeads: Float32Array, oldLogStd: Float32Array, heads: Float32Array, m: number, scratch: VmpoScratch) {
  if (agent.discrete) {
    klFromOld(agent, oldHeads, oldLogStd, heads, m, scratch.kl);
    return { klMu: mean(scratch.kl, m), klSigma: 0 };
  }
  // KL_μ: the Gaussian KL with the std held at the old one; KL_σ: with the mean held at the old one.
  gaussian.kl(oldHeads, oldLogStd, heads, oldLogStd, m, scratch.kl);
  const klMu = mean(scratch.kl, m);
  gaussian.kl(oldHeads, oldLogStd, oldHeads, agent.logStd, 1, scratch.kl);
  return { klMu, klSigma: scratch.kl[0] };
}

/** Adds sg(α_c) · ∂KL_c/∂(head, log-std) into dHead [m, headSize] and dLogStd [A]. */
export function vmpoKlBackward(
  agent: ActorCritic,
  oldHeads: Float32Array,
  oldLogStd: Float32Array,
  heads: Float32Array,
  m: number,
  multipliers: Float32Array,
  scratch: VmpoScratch,
  dHead: Float32Array,
  dLogStd: Float32Array,
): void {
  scratch.dKl.fill(multipliers[ALPHA_MU] / m, 0, m);
  if (agent.discrete) {
    klFromOldBackward(agent, oldHeads, oldLogStd, heads, m, scratch.dKl, dHead, dLogStd);
    return;
  }
  const { sinkHead, sinkLogStd } = scratch;
  sinkHead.fill(0);
  sinkLogStd.fill(0);
  gaussian.klBackward(oldHeads, oldLogStd, heads, oldLogStd, m, scratch.dKl, dHead, sinkLogStd);
  // KL_σ is one number for the whole batch (state-independent std): weight α_σ, not α_σ / m per row.
  scratch.dKl[0] = multipliers[ALPHA_SIGMA];
  gaussian.klBackward(oldHeads, oldLogStd, oldHeads, agent.logStd, 1, scratch.dKl, sinkHead, dLogStd);
}

class Vmpo implements OnPolicyAlgorithm {
  /** [η, α_μ, α_σ] (Discrete: [η, α]). */
  readonly multipliers: Float32Array;
  private readonly multiplierGroup: ParamGroup;
  private readonly optimizer: OptimizerStep;
  private readonly sampler: MinibatchSampler;
  private readonly old: OldPolicy;
  private readonly scratch = new VmpoScratch();
  private oldHeads = new Float32Array(0);

  constructor(
    private readonly agent: ActorCritic,
    private hp: VmpoHparams,
    rng: Rng,
  ) {
    this.multipliers = Float32Array.from(agent.discrete ? [hp.eta_init, hp.alpha_mu_init] : [hp.eta_init, hp.alpha_mu_init, hp.alpha_sigma_init]);
    this.multiplierGroup = { name: 'multipliers', params: this.multipliers, grads: new Float32Array(this.multipliers.length) };
    this.optimizer = new OptimizerStep(agent, { groups: [...agent.paramGroups(), this.multiplierGroup] });
    this.sampler = new MinibatchSampler(agent, rng);
    this.old = new OldPolicy(agent);
  }

  setHparams(values: Record<string, unknown>): void {
    this.hp = vmpoHparams.parse({ ...this.hp, ...values });
  }

  update(batch: RolloutBatch, context: UpdateContext): UpdateStats {
    const { agent, hp, multipliers, scratch } = this;
    const rows = batch.numSteps * batch.numEnvs;
    const m = Math.max(1, Math.floor(rows / hp.num_minibatches));
    const headSize = agent.headSize;
    this.old.capture(batch.obs, rows);
    if (this.oldHeads.length !== m * headSize) this.oldHeads = new Float32Array(m * headSize);
    const sums = { policy: 0, temperature: 0, klMu: 0, klSigma: 0, value: 0, selected: 0, gradNorm: 0, approxKl: 0 };
    let steps = 0;
    for (let epoch = 0; epoch < hp.update_epochs; epoch++) {
      this.sampler.shuffle(rows);
      for (let start = 0; start + m <= rows; start += m) {
        const mb = this.sampler.gather(batch, start, m, hp.norm_adv);
        const oldHeads = this.sampler.gatherRows(this.old.heads, headSize, start, m, this.oldHeads);
        const current = agent.evaluate(mb.obs, mb.actions, m);
        const grads = this.sampler.gradients;
        const terms = vmpoLoss(agent, current, mb, oldHeads, this.old.logStd, m, hp, multipliers, grads, this.multiplierGroup.grads, scratch);
        for (let i = 0; i < m; i++) sums.approxKl += (Math.exp(current.logProbs[i] - mb.logProbs[i]) - 1 - (current.logProbs[i] - mb.logProbs[i])) / m;
        agent.zeroGrads();
        agent.backward(grads.dLogProbs, grads.dEntropies, grads.dValues, m, (dHead, dLogStd) =>
          vmpoKlBackward(agent, oldHeads, this.old.logStd, current.heads, m, multipliers, scratch, dHead, dLogStd),
        );
        sums.gradNorm += this.optimizer.step(context.learningRate, hp.max_grad_norm);
        for (let k = 0; k < multipliers.length; k++) multipliers[k] = Math.max(multipliers[k], MIN_MULTIPLIER);
        sums.policy += terms.policyLoss;
        sums.temperature += terms.temperatureLoss;
        sums.klMu += terms.klMu;
        sums.klSigma += terms.klSigma;
        sums.value += terms.valueLoss;
        sums.selected += terms.selectedFraction;
        steps++;
      }
    }
    const n = Math.max(1, steps);
    const stats: UpdateStats = {
      policy_loss: sums.policy / n,
      temperature_loss: sums.temperature / n,
      value_loss: sums.value / n,
      kl_mu: sums.klMu / n,
      eta: multipliers[ETA],
      alpha_mu: multipliers[ALPHA_MU],
      approx_kl: sums.approxKl / n,
      selected_fraction: sums.selected / n,
      grad_norm: sums.gradNorm / n,
      explained_variance: explainedVariance(batch.values, batch.returns),
    };
    if (!agent.discrete) Object.assign(stats, { kl_sigma: sums.klSigma / n, alpha_sigma: multipliers[ALPHA_SIGMA] });
    return stats;
  }

  saveState() {
    const state = this.optimizer.saveState();
    return { scalars: state.scalars, arrays: { ...state.arrays, multipliers: this.multipliers.slice() } };
  }

  loadState(state: Parameters<OnPolicyAlgorithm['loadState']>[0]): void {
    const saved = state.arrays.multipliers;
    if (!saved || saved.length !== this.multipliers.length) {
      throw new Error(`V-MPO state should hold ${this.multipliers.length} multipliers, found ${saved?.length ?? 'none'}`);
    }
    this.optimizer.loadState(state);
    this.multipliers.set(saved);
  }
}

export const vmpo: AlgorithmDefinition<typeof vmpoHparams> = {
  id: 'vmpo',
  title: 'V-MPO',
  description: 'V-MPO: top-half advantage-weighted regression with learned temperature and decoupled KL trust regions',
  hparamsSchema: vmpoHparams,
  create: (agent, hparams, rng) => new Vmpo(agent, hparams, rng),
};
