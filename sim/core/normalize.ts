/**
 * Running normalization as vector-env wrappers, shared by all envs of a run (like SB3's
 * VecNormalize): observations by running mean/variance, rewards by the running std of the
 * discounted return (Gymnasium's NormalizeReward, no mean subtraction). Statistics are saved in
 * checkpoints and frozen (`training = false`) for evaluation.
 */
import type { EnvSnapshot, EnvSpec } from './env.ts';
import type { Frame, Scene } from './scene.ts';
import type { VecEnv, VecStepResult } from './vec-env.ts';

/** Chan et al.'s parallel mean/variance update; count starts at epsilon like Gymnasium's RunningMeanStd. */
export class RunningMeanStd {
  mean: Float64Array;
  var: Float64Array;
  count: number;

  constructor(size: number, epsilon = 1e-4) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
    this.count = epsilon;
  }

  /** Adds a batch: rows [n, size]. */
  update(rows: Float64Array, n: number): void {
    const size = this.mean.length;
    for (let k = 0; k < size; k++) {
      let batchMean = 0;
      for (let i = 0; i < n; i++) batchMean += rows[i * size + k];
      batchMean /= n;
      let batchVar = 0;
      for (let i = 0; i < n; i++) batchVar += (rows[i * size + k] - batchMean) ** 2;
      batchVar /= n;
      const delta = batchMean - this.mean[k];
      const total = this.count + n;
      this.mean[k] += (delta * n) / total;
      const m2 = this.var[k] * this.count + batchVar * n + (delta * delta * this.count * n) / total;
      this.var[k] = m2 / total;
    }
    this.count += n;
  }

  toJSON(): { mean: number[]; var: number[]; count: number } {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  load(stats: { mean: number[]; var: number[]; count: number }): void {
    if (stats.mean.length !== this.mean.length) throw new Error(`normalizer statistics have ${stats.mean.length} components, expected ${this.mean.length}`);
    this.mean.set(stats.mean);
    this.var.set(stats.var);
    this.count = stats.count;
  }
}

/** Forwards everything but step/reset to the wrapped vector env. */
abstract class VecEnvWrapper implements VecEnv {
  constructor(protected readonly inner: VecEnv) {}
  get spec(): EnvSpec {
    return this.inner.spec;
  }
  get numEnvs(): number {
    return this.inner.numEnvs;
  }
  get obsSize(): number {
    return this.inner.obsSize;
  }
  get actionSize(): number {
    return this.inner.actionSize;
  }
  get scene(): Scene {
    return this.inner.scene;
  }
  abstract reset(seed?: number): Float64Array;
  abstract step(actions: Float64Array): VecStepResult;
  frame(index: number, out?: Frame): Frame {
    return this.inner.frame(index, out);
  }
  saveState(): EnvSnapshot {
    return this.inner.saveState();
  }
  loadState(snapshot: EnvSnapshot): void {
    this.inner.loadState(snapshot);
  }
  close(): void {
    this.inner.close();
  }
}

export interface ObsNormStats {
  mean: number[];
  var: number[];
  count: number;
}

export class NormalizeObservation extends VecEnvWrapper {
  training = true;
  readonly stats: RunningMeanStd;
  private readonly clip: number;
  private readonly epsilon: number;
  private readonly normalized: Float64Array;

  constructor(inner: VecEnv, options: { clip?: number; epsilon?: number } = {}) {
    super(inner);
    this.clip = options.clip ?? 10;
    this.epsilon = options.epsilon ?? 1e-8;
    this.stats = new RunningMeanStd(inner.obsSize);
    this.normalized = new Float64Array(inner.numEnvs * inner.obsSize);
  }

  reset(seed?: number): Float64Array {
    return this.process(this.inner.reset(seed));
  }

  step(actions: Float64Array): VecStepResult {
    const result = this.inner.step(actions);
    const obs = this.process(result.obs);
    // Final observations use the same statistics, so a truncated episode bootstraps consistently.
    const finalObs = result.finalObs.map((o) => (o ? this.normalize(o) : null));
    return { ...result, obs, finalObs };
  }

  /** Normalizes rows with the current statistics (no update); returns a new array. */
  normalize(obs: ArrayLike<number>): Float64Array {
    const out = new Float64Array(obs.length);
    this.normalizeInto(obs, out);
    return out;
  }

  getStats(): ObsNormStats {
    return this.stats.toJSON();
  }

  setStats(stats: ObsNormStats): void {
    this.stats.load(stats);
  }

  private process(obs: Float64Array): Float64Array {
    if (this.training) this.stats.update(obs, this.numEnvs);
    this.normalizeInto(obs, this.normalized);
    return this.normalized;
  }

  private normalizeInto(obs: ArrayLike<number>, out: Float64Array): void {
    const size = this.obsSize, { mean, var: variance } = this.stats;
    for (let i = 0; i < obs.length; i++) {
      const k = i % size;
      const z = (obs[i] - mean[k]) / Math.sqrt(variance[k] + this.epsilon);
      out[i] = Math.min(Math.max(z, -this.clip), this.clip);
    }
  }
}

export interface RewardNormStats {
  /** Running mean of the discounted return: not applied to rewards, but the variance is taken around it. */
  mean: number;
  var: number;
  count: number;
  /** Per-env discounted return accumulators, so a resume continues exactly. */
  returns: number[];
}

export class NormalizeReward extends VecEnvWrapper {
  training = true;
  private readonly stats = new RunningMeanStd(1);
  private readonly returns: Float64Array;
  private readonly scaled: Float64Array;
  private readonly gamma: number;
  private readonly clip: number;
  private readonly epsilon: number;

  constructor(inner: VecEnv, options: { gamma: number; clip?: number; epsilon?: number }) {
    super(inner);
    this.gamma = options.gamma;
    this.clip = options.clip ?? 10;
    this.epsilon = options.epsilon ?? 1e-8;
    this.returns = new Float64Array(inner.numEnvs);
    this.scaled = new Float64Array(inner.numEnvs);
  }

  reset(seed?: number): Float64Array {
    this.returns.fill(0);
    return this.inner.reset(seed);
  }

  /** Episode records stay in raw reward units: only `rewards` is scaled. */
  step(actions: Float64Array): VecStepResult {
    const result = this.inner.step(actions);
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) this.returns[i] = this.returns[i] * this.gamma + result.rewards[i];
    if (this.training) this.stats.update(this.returns, n);
    const std = Math.sqrt(this.stats.var[0] + this.epsilon);
    for (let i = 0; i < n; i++) {
      this.scaled[i] = Math.min(Math.max(result.rewards[i] / std, -this.clip), this.clip);
      if (result.terminated[i] || result.truncated[i]) this.returns[i] = 0;
    }
    return { ...result, rewards: this.scaled, rawRewards: result.rawRewards ?? result.rewards };
  }

  getStats(): RewardNormStats {
    return { mean: this.stats.mean[0], var: this.stats.var[0], count: this.stats.count, returns: Array.from(this.returns) };
  }

  setStats(stats: RewardNormStats): void {
    this.stats.load({ mean: [stats.mean], var: [stats.var], count: stats.count });
    this.returns.set(stats.returns);
  }
}
