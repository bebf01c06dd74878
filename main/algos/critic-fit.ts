/**
 * Fits the critic on its own, for algorithms that move the policy by another rule (TRPO, MDPO):
 * several epochs of shuffled minibatches of the value loss, by an Adam over the critic only.
 */
import type { RolloutBatch } from './algorithm.ts';
import { MinibatchSampler } from './minibatch.ts';
import { OptimizerStep } from './optimizer-step.ts';
import { valueLoss } from './value-loss.ts';
import type { ActorCritic } from '../agent/actor-critic.ts';
import type { Rng } from '../../sim/index.ts';

export interface CriticFitOptions {
  epochs: number;
  numMinibatches: number;
  learningRate: number;
  maxGradNorm: number | null;
  /** PPO-style clipping of the value around its collection-time estimate (null: plain ½ MSE). */
  clipRange: number | null;
}

export class CriticFit {
  readonly optimizer: OptimizerStep;
  private readonly sampler: MinibatchSampler;

  constructor(
    private readonly agent: ActorCritic,
    rng: Rng,
  ) {
    this.optimizer = new OptimizerStep(agent, { groups: agent.paramGroups().filter((g) => g.name === 'critic') });
    this.sampler = new MinibatchSampler(agent, rng);
  }

  /** Returns the mean value loss and gradient norm over the steps taken. */
  fit(batch: RolloutBatch, options: CriticFitOptions): { valueLoss: number; gradNorm: number } {
    const rows = batch.numSteps * batch.numEnvs;
    const size = Math.max(1, Math.floor(rows / options.numMinibatches));
    const critic = this.agent.critic;
    let lossSum = 0,
      normSum = 0,
      steps = 0;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      this.sampler.shuffle(rows);
      for (let start = 0; start + size <= rows; start += size) {
        const mb = this.sampler.gather(batch, start, size, false);
        const dValues = this.sampler.gradients.dValues;
        lossSum += valueLoss(critic.forward(mb.obs, size), mb.returns, mb.values, size, options.clipRange, 1, dValues);
        critic.zeroGrads();
        critic.backward(dValues);
        normSum += this.optimizer.step(options.learningRate, options.maxGradNorm);
        steps++;
      }
    }
    return { valueLoss: lossSum / Math.max(1, steps), gradNorm: normSum / Math.max(1, steps) };
  }
}
