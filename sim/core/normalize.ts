/**
 * Running normalization as vector-env wrappers, one set of statistics shared by all envs of a
 * run (like SB3's VecNormalize): observations by their running mean and variance, rewards by the
 * running std of the discounted return (Gymnasium's NormalizeReward, no mean subtraction), both
 * clipped as CleanRL does.
 *
 * Checkpoints and evaluation: the statistics are not part of saveState(). Keep a reference to
 * each wrapper you build, checkpoint its getStats(), and on resume call setStats(); to evaluate
 * exactly as trained, setStats() the training statistics into an evaluation wrapper (or call
 * normalize()) with `training = false`, which freezes them.
 */
import type { VecEnv, VecStepResult } from './vec-env.ts';
import { VecEnvWrapper } from './wrappers.ts';

/**
 * Running mean and (population) variance of rows of numbers, merged batch by batch with Chan et
 * al.'s parallel update. Like Gymnasium's RunningMeanStd it starts at mean 0, var 1 with a count
 * of `countEpsilon` (1e-4): the first batch then almost wholly replaces the prior, and the
 * variance is never 0/0.
 */
export class RunningMeanStd {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  count: number;

  constructor(size: number, countEpsilon = 1e-4) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
    this.count = countEpsilon;
  }

  /** Merges a batch: rows [n, size]. */
  update(rows: Float64Array, n: number): void {
    const size = this.mean.length;
    const total = this.count + n;
    for (let k = 0; k < size; k++) {
      let batchMean = 0;
      for (let i = 0; i < n; i++) batchMean += rows[i * size + k];
      batchMean /= n;
      let batchVar = 0;
      for (let i = 0; i < n; i++) batchVar += (rows[i * size + k] - batchMean) ** 2;
      batchVar /= n;
      const delta = batchMean - this.mean[k];
      const m2 = this.var[k] * this.count + batchVar * n + (delta * delta * this.count * n) / total;
      this.mean[k] += (delta * n) / total;
      this.var[k] = m2 / total;
    }
    this.count = total;
  }
}

export interface ObsNormStats {
  mean: number[];
  var: number[];
  count: number;
}

export interface ObsNormOptions {
  /** Normalized observations are clipped to ±clip. */
  clip?: number;
  /** Added to the variance before the square root. */
  epsilon?: number;
}

/** obs ← clip((obs − mean) / sqrt(var + epsilon), ±clip), statistics over every env's observations. */
export class NormalizeObservation extends VecEnvWrapper {
  /** When false the statistics are frozen (evaluation). */
  training = true;
  private readonly stats: RunningMeanStd;
  private readonly clip: number;
  private readonly epsilon: number;
  private readonly result: VecStepResult;

  constructor(inner: VecEnv, { clip = 10, epsilon = 1e-8 }: ObsNormOptions = {}) {
    super(inner);
    if (!(clip > 0)) throw new Error(`NormalizeObservation: clip must be positive, got ${clip}`);
    this.clip = clip;
    this.epsilon = epsilon;
    this.stats = new RunningMeanStd(inner.obsSize);
    this.result = {
      obs: new Float64Array(inner.numEnvs * inner.obsSize),
      rewards: new Float64Array(0),
      terminated: new Uint8Array(0),
      truncated: new Uint8Array(0),
      finalObs: new Array<Float64Array | null>(inner.numEnvs).fill(null),
      episodes: [],
    };
  }

  override reset(seed?: number): Float64Array {
    this.observe(this.inner.reset(seed));
    this.result.finalObs.fill(null);
    return this.result.obs;
  }

  override step(actions: Float64Array): VecStepResult {
    const inner = this.inner.step(actions);
    const out = this.result;
    this.observe(inner.obs);
    out.rewards = inner.rewards;
    out.rawRewards = inner.rawRewards;
    out.terminated = inner.terminated;
    out.truncated = inner.truncated;
    out.episodes = inner.episodes;
    // Final observations don't update the statistics but are normalized with them, so a
    // truncated episode is bootstrapped from the same kind of input the value net was trained on.
    for (let i = 0; i < this.numEnvs; i++) {
      const finalObs = inner.finalObs[i];
      out.finalObs[i] = finalObs ? this.normalize(finalObs) : null;
    }
    return out;
  }

  /** Normalizes observation rows with the current statistics, without updating them; returns a new array. */
  normalize(obs: ArrayLike<number>): Float64Array {
    const out = new Float64Array(obs.length);
    this.normalizeInto(obs, out);
    return out;
  }

  getStats(): ObsNormStats {
    return { mean: Array.from(this.stats.mean), var: Array.from(this.stats.var), count: this.stats.count };
  }

  setStats(stats: ObsNormStats): void {
    const size = this.obsSize;
    if (stats.mean.length !== size || stats.var.length !== size) {
      throw new Error(`observation statistics have ${stats.mean.length} means and ${stats.var.length} variances, expected ${size}`);
    }
    this.stats.mean.set(stats.mean);
    this.stats.var.set(stats.var);
    this.stats.count = stats.count;
  }

  /** Updates the statistics with raw rows (when training) and writes the normalized rows to result.obs. */
  private observe(obs: Float64Array): void {
    if (this.training) this.stats.update(obs, this.numEnvs);
    this.normalizeInto(obs, this.result.obs);
  }

  private normalizeInto(obs: ArrayLike<number>, out: Float64Array): void {
    const size = this.obsSize,
      { mean, var: variance } = this.stats;
    for (let i = 0; i < obs.length; i++) {
      const k = i % size;
      const z = (obs[i] - mean[k]) / Math.sqrt(variance[k] + this.epsilon);
      out[i] = Math.min(Math.max(z, -this.clip), this.clip);
    }
  }
}

export interface RewardNormStats {
  /** Running mean of the discounted return: never subtracted from rewards, but the variance is taken around it. */
  mean: number;
  var: number;
  count: number;
  /** [numEnvs] discounted return accumulators of the running episodes, so a resume continues exactly. */
  returns: number[];
}

export interface RewardNormOptions {
  /** Discount of the return whose std scales the rewards (use the learner's gamma). */
  gamma: number;
  /** Scaled rewards are clipped to ±clip. */
  clip?: number;
  /** Added to the variance before the square root. */
  epsilon?: number;
}

/**
 * reward ← clip(reward / sqrt(var(G) + epsilon), ±clip), where G = gamma·G + reward is each env's
 * discounted return so far, restarted at every episode end (Gymnasium 0.26 / CleanRL). Only
 * `rewards` is scaled: `rawRewards` and the episode records stay in the env's own units.
 */
export class NormalizeReward extends VecEnvWrapper {
  /** When false the statistics are frozen (the return accumulators still follow the episodes). */
  training = true;
  private readonly stats = new RunningMeanStd(1);
  private readonly returns: Float64Array;
  private readonly gamma: number;
  private readonly clip: number;
  private readonly epsilon: number;
  private readonly result: VecStepResult;

  constructor(inner: VecEnv, { gamma, clip = 10, epsilon = 1e-8 }: RewardNormOptions) {
    super(inner);
    if (!(gamma >= 0 && gamma <= 1)) throw new Error(`NormalizeReward: gamma must be in [0, 1], got ${gamma}`);
    if (!(clip > 0)) throw new Error(`NormalizeReward: clip must be positive, got ${clip}`);
    this.gamma = gamma;
    this.clip = clip;
    this.epsilon = epsilon;
    this.returns = new Float64Array(inner.numEnvs);
    this.result = {
      obs: new Float64Array(0),
      rewards: new Float64Array(inner.numEnvs),
      terminated: new Uint8Array(0),
      truncated: new Uint8Array(0),
      finalObs: [],
      episodes: [],
    };
  }

  override reset(seed?: number): Float64Array {
    this.returns.fill(0);
    return this.inner.reset(seed);
  }

  override copyEnv(from: number, to: number): void {
    this.inner.copyEnv(from, to);
    this.returns[to] = this.returns[from];
  }

  override step(actions: Float64Array): VecStepResult {
    const inner = this.inner.step(actions);
    const out = this.result;
    const n = this.numEnvs;
    for (let i = 0; i < n; i++) this.returns[i] = this.returns[i] * this.gamma + inner.rewards[i];
    if (this.training) this.stats.update(this.returns, n);
    const std = Math.sqrt(this.stats.var[0] + this.epsilon);
    for (let i = 0; i < n; i++) {
      out.rewards[i] = Math.min(Math.max(inner.rewards[i] / std, -this.clip), this.clip);
      if (inner.terminated[i] || inner.truncated[i]) this.returns[i] = 0;
    }
    out.obs = inner.obs;
    out.rawRewards = inner.rawRewards ?? inner.rewards;
    out.terminated = inner.terminated;
    out.truncated = inner.truncated;
    out.finalObs = inner.finalObs;
    out.episodes = inner.episodes;
    return out;
  }

  getStats(): RewardNormStats {
    return { mean: this.stats.mean[0], var: this.stats.var[0], count: this.stats.count, returns: Array.from(this.returns) };
  }

  setStats(stats: RewardNormStats): void {
    if (stats.returns.length !== this.numEnvs) {
      throw new Error(`reward statistics hold ${stats.returns.length} return accumulators, this vector env has ${this.numEnvs} envs`);
    }
    this.stats.mean[0] = stats.mean;
    this.stats.var[0] = stats.var;
    this.stats.count = stats.count;
    this.returns.set(stats.returns);
  }
}
