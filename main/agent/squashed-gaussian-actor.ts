/**
 * SAC's actor (CleanRL's sac_continuous_action Actor): a state-dependent diagonal Gaussian whose
 * sample is squashed by tanh into the Box,
 *   [mean, raw] = MLP(s),  logσ = LOG_STD_MIN + (LOG_STD_MAX - LOG_STD_MIN)(tanh(raw) + 1)/2,
 *   x = mean + σ·ε (ε ~ N(0, I), the reparameterization),  a = bias + scale·tanh(x),
 *   log π(a|s) = Σ_k [log N(x_k; mean_k, σ_k) - log(scale_k (1 - tanh²x_k) + 1e-6)],
 * the second term the change of variables through the squashing (1e-6 keeps it finite where
 * tanh saturates, as CleanRL). The deterministic action is bias + scale·tanh(mean).
 */
import type { Mlp } from '../rl/nn/mlp.ts';
import type { NnBackend } from '../rl/nn/backend.ts';
import type { DeterministicPolicy } from './policy.ts';
import type { OffPolicyActorSpec } from './deterministic-actor.ts';
import { tanhBox, type TanhBox } from './tanh-box.ts';

export const LOG_STD_MIN = -5;
export const LOG_STD_MAX = 2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQUASH_EPS = 1e-6;

export interface SquashedSample {
  /** [B, A] actions inside the Box. */
  actions: Float32Array;
  /** [B] log π(a|s). */
  logProbs: Float32Array;
}

export class SquashedGaussianActor implements DeterministicPolicy {
  /** obs [B, obsSize] -> [B, 2A]: the A means, then the A raw log-std outputs. */
  readonly net: Mlp;
  readonly actionSize: number;
  readonly box: TanhBox;
  /** Kept by sample() for backward, [B, A] each: ε, tanh(x), σ and tanh(raw). */
  private eps = new Float32Array(0);
  private squashed = new Float32Array(0);
  private stds = new Float32Array(0);
  private squashedRaw = new Float32Array(0);
  private dHead = new Float32Array(0);
  private sampled: SquashedSample = { actions: new Float32Array(0), logProbs: new Float32Array(0) };
  private batch = 0;

  constructor(spec: OffPolicyActorSpec, backend: NnBackend, uniform: () => number) {
    this.box = tanhBox(spec.actionSpace);
    this.actionSize = spec.actionSpace.size;
    this.net = backend.createMlp(
      {
        inputSize: spec.obsSize,
        hiddenSizes: spec.hiddenSizes,
        outputSize: 2 * this.actionSize,
        activation: spec.activation,
        hiddenGain: Math.SQRT2,
        outputGain: 0.01,
      },
      uniform,
    );
  }

  /**
   * Draws a ~ π(·|s) with ε from `normal`, row by row: obs [B, obsSize] -> actions [B, A] and
   * logProbs [B], valid until the next sample, which backward follows.
   */
  sample(obs: Float32Array, batch: number, normal: () => number): SquashedSample {
    const head = this.net.forward(obs, batch);
    const a = this.actionSize;
    this.ensureBatch(batch);
    const { scale, bias } = this.box;
    const { actions, logProbs } = this.sampled;
    for (let b = 0; b < batch; b++) {
      let logProb = 0;
      for (let k = 0; k < a; k++) {
        const i = b * a + k;
        const rawSquashed = Math.tanh(head[b * 2 * a + a + k]);
        const logStd = LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (rawSquashed + 1);
        const std = Math.exp(logStd);
        const eps = normal();
        const y = Math.tanh(head[b * 2 * a + k] + std * eps);
        this.eps[i] = eps;
        this.squashed[i] = y;
        this.stds[i] = std;
        this.squashedRaw[i] = rawSquashed;
        actions[i] = bias[k] + scale[k] * y;
        // log N(x; mean, σ) with (x - mean) / σ = ε exactly, minus the squashing's log-Jacobian.
        logProb += -0.5 * eps * eps - logStd - LOG_SQRT_2PI - Math.log(scale[k] * (1 - y * y) + SQUASH_EPS);
      }
      logProbs[b] = logProb;
    }
    this.batch = batch;
    return { actions: actions.subarray(0, batch * a), logProbs: logProbs.subarray(0, batch) };
  }

  /**
   * dLoss/dActions [B, A] and dLoss/dLogProbs [B] of the last sample (ε held fixed: the
   * reparameterization gradient) -> adds dLoss/dParams into net.grads.
   */
  backward(dActions: Float32Array, dLogProbs: Float32Array): void {
    const a = this.actionSize,
      { scale } = this.box;
    const logStdRange = 0.5 * (LOG_STD_MAX - LOG_STD_MIN);
    for (let b = 0; b < this.batch; b++) {
      const dLogProb = dLogProbs[b];
      for (let k = 0; k < a; k++) {
        const i = b * a + k,
          y = this.squashed[i],
          oneMinusY2 = 1 - y * y;
        // Through a = bias + scale·y and through -log(scale (1 - y²) + eps).
        const dy = dActions[i] * scale[k] + (dLogProb * 2 * scale[k] * y) / (scale[k] * oneMinusY2 + SQUASH_EPS);
        const dx = dy * oneMinusY2;
        // x = mean + σε gives dx/dlogσ = σε; log N contributes -1 per logσ (its ε-term is constant).
        const dLogStd = dx * this.stds[i] * this.eps[i] - dLogProb;
        const rawSquashed = this.squashedRaw[i];
        this.dHead[b * 2 * a + k] = dx;
        this.dHead[b * 2 * a + a + k] = dLogStd * logStdRange * (1 - rawSquashed * rawSquashed);
      }
    }
    this.net.backward(this.dHead.subarray(0, this.batch * 2 * a));
  }

  actDeterministic(obs: Float32Array, batch: number, actions: Float32Array): void {
    const head = this.net.forward(obs, batch);
    const a = this.actionSize,
      { scale, bias } = this.box;
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < a; k++) actions[b * a + k] = bias[k] + scale[k] * Math.tanh(head[b * 2 * a + k]);
    }
  }

  dispose(): void {
    this.net.dispose();
  }

  private ensureBatch(batch: number): void {
    const n = batch * this.actionSize;
    if (this.eps.length >= n) return;
    this.eps = new Float32Array(n);
    this.squashed = new Float32Array(n);
    this.stds = new Float32Array(n);
    this.squashedRaw = new Float32Array(n);
    this.dHead = new Float32Array(2 * n);
    this.sampled = { actions: new Float32Array(n), logProbs: new Float32Array(batch) };
  }
}
