/**
 * The policy's parameter vector θ = [actor MLP params, log-std] as one flat float64 vector, and
 * Fisher-vector products F·v at θ, for TRPO.
 *
 * F = (1/B) Σ_b J_bᵀ M_b J_b, the Hessian of the mean KL(π_θ_old || π_θ) at θ = θ_old, with J_b the
 * Jacobian of state b's distribution parameters and M_b their Fisher information:
 *  - Gaussian with a state-independent log-std: the means' Jacobian through the MLP, M = 1/σ² per
 *    mean; the log-std are parameters themselves, each with Fisher information 2 (no cross terms).
 *  - Categorical over logits: M = diag(p) - p pᵀ.
 * So F·v is one jacobian-vector product through the actor (Mlp.jvp), a multiply by M, and one
 * backward pass: exact, with no second-order autodiff.
 */
import type { ActorCritic } from '../agent/actor-critic.ts';

/** Length of θ. */
export function policyParamCount(agent: ActorCritic): number {
  return agent.actor.params.length + agent.logStd.length;
}

/** out [P] = θ. */
export function readPolicyParams(agent: ActorCritic, out: Float64Array): void {
  const p = agent.actor.params;
  for (let i = 0; i < p.length; i++) out[i] = p[i];
  for (let k = 0; k < agent.logStd.length; k++) out[p.length + k] = agent.logStd[k];
}

/** θ = values [P] (rounded to float32); tells the engine. */
export function writePolicyParams(agent: ActorCritic, values: Float64Array): void {
  const p = agent.actor.params;
  for (let i = 0; i < p.length; i++) p[i] = values[i];
  for (let k = 0; k < agent.logStd.length; k++) agent.logStd[k] = values[p.length + k];
  agent.paramsChanged();
}

/** out [P] = the accumulated gradient w.r.t. θ (actor grads, then log-std grads). */
export function readPolicyGrads(agent: ActorCritic, out: Float64Array): void {
  const g = agent.actor.grads;
  for (let i = 0; i < g.length; i++) out[i] = g[i];
  for (let k = 0; k < agent.logStdGrad.length; k++) out[g.length + k] = agent.logStdGrad[k];
}

export class FisherVectorProduct {
  private rows = 0;
  /** Categorical: the probabilities [B, n] at θ. */
  private probs = new Float64Array(0);
  private tangent: Float32Array;
  private dHead = new Float32Array(0);

  constructor(private readonly agent: ActorCritic) {
    this.tangent = new Float32Array(agent.actor.params.length);
  }

  /**
   * Fixes the states and θ the products are taken at: runs the actor on obs [rows, obsSize]. The
   * products read that forward, so no other actor forward may come between prepare and multiply.
   */
  prepare(obs: Float32Array, rows: number): void {
    const head = this.agent.actor.forward(obs, rows);
    this.rows = rows;
    if (this.dHead.length !== head.length) this.dHead = new Float32Array(head.length);
    if (!this.agent.discrete) return;
    const n = this.agent.headSize;
    if (this.probs.length !== head.length) this.probs = new Float64Array(head.length);
    for (let row = 0; row < head.length; row += n) {
      let max = -Infinity;
      for (let k = 0; k < n; k++) max = Math.max(max, head[row + k]);
      let sum = 0;
      for (let k = 0; k < n; k++) sum += this.probs[row + k] = Math.exp(head[row + k] - max);
      for (let k = 0; k < n; k++) this.probs[row + k] /= sum;
    }
  }

  /** out [P] = (F + damping·I) v, v [P]. Overwrites the actor's grads. */
  multiply(v: Float64Array, out: Float64Array, damping = 0): void {
    const { agent, rows } = this;
    if (rows === 0) throw new Error('FisherVectorProduct.multiply called before prepare()');
    const actor = agent.actor,
      mlpSize = actor.params.length,
      n = agent.headSize;
    for (let i = 0; i < mlpSize; i++) this.tangent[i] = v[i];
    const jv = actor.jvp(this.tangent);
    const dHead = this.dHead,
      scale = 1 / rows;
    if (agent.discrete) {
      const p = this.probs;
      for (let row = 0; row < jv.length; row += n) {
        let pjv = 0;
        for (let k = 0; k < n; k++) pjv += p[row + k] * jv[row + k];
        for (let k = 0; k < n; k++) dHead[row + k] = scale * p[row + k] * (jv[row + k] - pjv);
      }
    } else {
      for (let k = 0; k < n; k++) {
        const invVar = Math.exp(-2 * agent.logStd[k]);
        for (let i = k; i < jv.length; i += n) dHead[i] = scale * invVar * jv[i];
      }
    }
    actor.zeroGrads();
    actor.backward(dHead);
    const g = actor.grads;
    for (let i = 0; i < mlpSize; i++) out[i] = g[i] + damping * v[i];
    for (let k = 0; k < agent.logStd.length; k++) out[mlpSize + k] = (2 + damping) * v[mlpSize + k];
  }
}
