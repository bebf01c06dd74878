/**
 * Shuffled minibatches over a rollout (CleanRL detail: every sample is used once per epoch),
 * gathered into contiguous reusable buffers so the networks read sequential memory.
 */
import type { RolloutBatch } from './algorithm.ts';
import type { ActorCritic } from '../agent/actor-critic.ts';
import type { Rng } from '../../sim/index.ts';
import { normalizeAdvantages } from '../rl/normalize-advantages.ts';

export interface Minibatch {
  obs: Float32Array;
  actions: Float32Array;
  logProbs: Float32Array;
  values: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
}

/** Per-sample loss gradients an algorithm fills for ActorCritic.backward. */
export interface LossGradients {
  dLogProbs: Float32Array;
  dEntropies: Float32Array;
  dValues: Float32Array;
}

export class MinibatchSampler {
  private indices = new Int32Array(0);
  private mb: Minibatch = emptyMinibatch();
  readonly gradients: LossGradients = { dLogProbs: new Float32Array(0), dEntropies: new Float32Array(0), dValues: new Float32Array(0) };

  constructor(
    private readonly agent: ActorCritic,
    private readonly rng: Rng,
  ) {}

  /** A fresh Fisher–Yates permutation of 0..batchSize-1. */
  shuffle(batchSize: number): void {
    if (this.indices.length !== batchSize) this.indices = new Int32Array(batchSize);
    const idx = this.indices;
    for (let i = 0; i < batchSize; i++) idx[i] = i;
    for (let i = batchSize - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
  }

  /** Copies rows indices[start .. start+size) of the batch; normalizes advantages when asked. */
  gather(batch: RolloutBatch, start: number, size: number, normAdvantages: boolean): Minibatch {
    this.ensureCapacity(size);
    const obsSize = batch.obs.length / batch.logProbs.length;
    const actSize = this.agent.actionSize;
    const mb = this.mb;
    for (let k = 0; k < size; k++) {
      const row = this.indices[start + k];
      mb.obs.set(batch.obs.subarray(row * obsSize, (row + 1) * obsSize), k * obsSize);
      mb.actions.set(batch.actions.subarray(row * actSize, (row + 1) * actSize), k * actSize);
      mb.logProbs[k] = batch.logProbs[row];
      mb.values[k] = batch.values[row];
      mb.advantages[k] = batch.advantages[row];
      mb.returns[k] = batch.returns[row];
    }
    if (normAdvantages) normalizeAdvantages(mb.advantages.subarray(0, size));
    return mb;
  }

  /**
   * Rows indices[start .. start+size) of a per-sample array source [rows, width] (say, the old
   * policy's outputs) into out [size, width], with the same shuffle as gather().
   */
  gatherRows(source: Float32Array, width: number, start: number, size: number, out: Float32Array): Float32Array {
    for (let k = 0; k < size; k++) {
      const row = this.indices[start + k];
      out.set(source.subarray(row * width, (row + 1) * width), k * width);
    }
    return out;
  }

  private ensureCapacity(size: number): void {
    if (this.mb.logProbs.length === size) return;
    const obsSize = this.agent.spec.obsSize;
    this.mb = {
      obs: new Float32Array(size * obsSize),
      actions: new Float32Array(size * this.agent.actionSize),
      logProbs: new Float32Array(size),
      values: new Float32Array(size),
      advantages: new Float32Array(size),
      returns: new Float32Array(size),
    };
    this.gradients.dLogProbs = new Float32Array(size);
    this.gradients.dEntropies = new Float32Array(size);
    this.gradients.dValues = new Float32Array(size);
  }
}

function emptyMinibatch(): Minibatch {
  const e = () => new Float32Array(0);
  return { obs: e(), actions: e(), logProbs: e(), values: e(), advantages: e(), returns: e() };
}
