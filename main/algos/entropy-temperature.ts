/**
 * SAC's automatic entropy tuning (Haarnoja et al. 2018, "Soft Actor-Critic Algorithms and
 * Applications"): the temperature α = exp(log α) is trained by Adam on CleanRL's
 *   J(α) = mean_b[-α (log π(a_b|s_b) + H_target)],
 * so α falls while the policy's entropy -E[log π] exceeds H_target and rises while it is below.
 */
import { Adam } from '../rl/adam.ts';

export class EntropyTemperature {
  /** [1] log α, from 0 (α = 1, CleanRL's start). */
  readonly logAlpha = new Float32Array(1);
  private readonly grad = new Float32Array(1);
  readonly optimizer = new Adam([1], { eps: 1e-8 });

  constructor(readonly targetEntropy: number) {}

  get alpha(): number {
    return Math.exp(this.logAlpha[0]);
  }

  /** One Adam step from the log-probs [B] of freshly sampled actions; returns J(α) before it. */
  update(logProbs: Float32Array, batch: number, learningRate: number): number {
    let gap = 0;
    for (let b = 0; b < batch; b++) gap += (logProbs[b] + this.targetEntropy) / batch;
    const alpha = this.alpha;
    // dJ/dlog α = -α · mean(log π + H_target): the gradient reaches log α through exp.
    this.grad[0] = -alpha * gap;
    this.optimizer.step([this.logAlpha], [this.grad], learningRate);
    return -alpha * gap;
  }
}
