/**
 * The policy that collected a batch, and KL divergences between it and the current policy.
 *
 * The rollout stores only log-probs of the sampled actions, but trust regions (TRPO, V-MPO, MDPO)
 * need the whole old distribution per state. The parameters do not change between collecting a
 * rollout and the first gradient step of its update, so one actor forward over the batch at the
 * start of the update recovers exactly the distributions that collected it. (Measuring the current
 * policy against a copy of itself taken inside the loss is always 0: PolicyGradientsJax's V-MPO
 * constraint is inert for that reason.)
 *
 * Shapes: heads [B, headSize] (Gaussian means or logits), logStd [A] (Box actions only), KL [B].
 */
import type { ActorCritic } from '../agent/actor-critic.ts';
import * as gaussian from '../rl/distributions/diag-gaussian.ts';
import * as categorical from '../rl/distributions/categorical.ts';

export class OldPolicy {
  /** [rows, headSize] the collecting policy's head on every row of the batch. */
  heads = new Float32Array(0);
  /** [A] its log-std (empty for Discrete actions). */
  readonly logStd: Float32Array;

  constructor(private readonly agent: ActorCritic) {
    this.logStd = new Float32Array(agent.logStd.length);
  }

  /** Call before the update's first gradient step. obs [rows, obsSize]. */
  capture(obs: Float32Array, rows: number): void {
    const head = this.agent.actor.forward(obs, rows);
    if (this.heads.length !== head.length) this.heads = new Float32Array(head.length);
    this.heads.set(head);
    this.logStd.set(this.agent.logStd);
  }
}

/** out[B] = KL(old || current), heads of the current policy [B, headSize], its log-std the agent's. */
export function klFromOld(agent: ActorCritic, oldHeads: Float32Array, oldLogStd: Float32Array, heads: Float32Array, batch: number, out: Float32Array): void {
  if (agent.discrete) categorical.kl(oldHeads, heads, batch, agent.headSize, out);
  else gaussian.kl(oldHeads, oldLogStd, heads, agent.logStd, batch, out);
}

/** Adds dKl[b] · ∂KL(old || current)_b / ∂(current head, log-std) into dHead [B, headSize] and dLogStd [A]. */
export function klFromOldBackward(
  agent: ActorCritic,
  oldHeads: Float32Array,
  oldLogStd: Float32Array,
  heads: Float32Array,
  batch: number,
  dKl: Float32Array,
  dHead: Float32Array,
  dLogStd: Float32Array,
): void {
  if (agent.discrete) categorical.klBackward(oldHeads, heads, batch, agent.headSize, dKl, dHead);
  else gaussian.klBackward(oldHeads, oldLogStd, heads, agent.logStd, batch, dKl, dHead, dLogStd);
}

/** out[B] = KL(current || old), the reverse direction (MDPO's mirror-descent proximity term). */
export function klToOld(agent: ActorCritic, oldHeads: Float32Array, oldLogStd: Float32Array, heads: Float32Array, batch: number, out: Float32Array): void {
  if (agent.discrete) categorical.kl(heads, oldHeads, batch, agent.headSize, out);
  else gaussian.kl(heads, agent.logStd, oldHeads, oldLogStd, batch, out);
}

/**
 * Adds dKl[b] · ∂KL(current || old)_b / ∂(current head, log-std). Gaussian, per dimension:
 * ∂/∂μ = (μ - μ_old) / σ_old², ∂/∂logσ = σ² / σ_old² - 1. Categorical (p current, q old):
 * ∂/∂logit_j = p_j (log p_j - log q_j - KL).
 */
export function klToOldBackward(
  agent: ActorCritic,
  oldHeads: Float32Array,
  oldLogStd: Float32Array,
  heads: Float32Array,
  batch: number,
  dKl: Float32Array,
  dHead: Float32Array,
  dLogStd: Float32Array,
): void {
  const n = agent.headSize;
  if (agent.discrete) {
    const logP = new Float64Array(n),
      logQ = new Float64Array(n);
    for (let b = 0, row = 0; b < batch; b++, row += n) {
      logSoftmax(heads, row, n, logP);
      logSoftmax(oldHeads, row, n, logQ);
      let kl = 0;
      for (let k = 0; k < n; k++) kl += Math.exp(logP[k]) * (logP[k] - logQ[k]);
      for (let k = 0; k < n; k++) dHead[row + k] += dKl[b] * Math.exp(logP[k]) * (logP[k] - logQ[k] - kl);
    }
    return;
  }
  for (let k = 0; k < n; k++) {
    const invVarOld = Math.exp(-2 * oldLogStd[k]);
    const varRatio = Math.exp(2 * (agent.logStd[k] - oldLogStd[k]));
    let dLogStdK = 0;
    for (let b = 0, i = k; b < batch; b++, i += n) {
      dHead[i] += dKl[b] * (heads[i] - oldHeads[i]) * invVarOld;
      dLogStdK += dKl[b] * (varRatio - 1);
    }
    dLogStd[k] += dLogStdK;
  }
}

/** out[0..n) = log softmax of logits[offset .. offset+n), in float64. */
function logSoftmax(logits: Float32Array, offset: number, n: number, out: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, logits[offset + k]);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp(logits[offset + k] - max);
  const lse = max + Math.log(sum);
  for (let k = 0; k < n; k++) out[k] = logits[offset + k] - lse;
}

/** Mean of the first `batch` values. */
export function mean(values: Float32Array, batch: number): number {
  let sum = 0;
  for (let i = 0; i < batch; i++) sum += values[i];
  return sum / batch;
}
