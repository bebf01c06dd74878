/**
 * Vector environments: N envs stepped together with auto-reset (Gymnasium's "same step" mode:
 * the obs of an env whose episode ended is already the first of its next episode), the final
 * observation of that episode kept for bootstrapping, and per-episode statistics in raw reward
 * units. The interface says nothing about where the envs run, so a worker-thread version can
 * implement it too.
 */
import type { Env, EnvSnapshot, EnvSpec } from './env.ts';
import type { Frame, Scene } from './scene.ts';
import { actionSize } from './spaces.ts';

export interface EpisodeRecord {
  envIndex: number;
  /** Undiscounted sum of the env's own (raw) rewards. */
  return: number;
  length: number;
  /** Per-term sums over the episode (empty when the env reports no terms). */
  rewardTerms: Record<string, number>;
}

export interface VecStepResult {
  /** [numEnvs * obsSize]; an env whose episode ended shows the first obs of its next episode. */
  obs: Float64Array;
  /** [numEnvs] */
  rewards: Float64Array;
  /** [numEnvs] the envs' own rewards, set by wrappers that scale `rewards` (see NormalizeReward). */
  rawRewards?: Float64Array;
  /** [numEnvs] 1 where the MDP reached a terminal state. */
  terminated: Uint8Array;
  /** [numEnvs] 1 where the episode was cut (time limit). */
  truncated: Uint8Array;
  /** [numEnvs] the last observation of an episode that ended this step, else null. */
  finalObs: (Float64Array | null)[];
  /** Episodes completed during this step. */
  episodes: EpisodeRecord[];
}

/**
 * The buffers of a VecStepResult are reused from step to step: copy what must outlive the next
 * call to step() or reset().
 */
export interface VecEnv {
  readonly spec: EnvSpec;
  readonly numEnvs: number;
  readonly obsSize: number;
  readonly actionSize: number;
  readonly scene: Scene;
  /** Env i is seeded with seed + i; without a seed each env continues its generator. Returns [numEnvs * obsSize]. */
  reset(seed?: number): Float64Array;
  /** actions: [numEnvs * actionSize] (discrete spaces: one action index per env). */
  step(actions: Float64Array): VecStepResult;
  /** Body poses of env `index` now (for recording what env 0 does). */
  frame(index: number, out?: Frame): Frame;
  /** Everything needed to continue bit for bit: the envs mid-episode and their episode statistics. */
  saveState(): EnvSnapshot;
  loadState(snapshot: EnvSnapshot): void;
  /**
   * Puts env `to` in env `from`'s exact state: mid-episode, with its episode statistics and current
   * observation (so a group-relative baseline can replay one start state several times).
   */
  copyEnv(from: number, to: number): void;
  close(): void;
}

/** N envs made by `factory` and stepped one after another in this thread. */
export class SyncVecEnv implements VecEnv {
  readonly spec: EnvSpec;
  readonly obsSize: number;
  readonly actionSize: number;
  private readonly envs: Env[];
  private readonly result: VecStepResult;
  private readonly episodeReturns: Float64Array;
  private readonly episodeLengths: Int32Array;
  private readonly episodeTerms: Record<string, number>[];

  constructor(
    readonly numEnvs: number,
    factory: (index: number) => Env,
  ) {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new Error(`numEnvs must be a positive integer, got ${numEnvs}`);
    this.envs = Array.from({ length: numEnvs }, (_, i) => factory(i));
    this.spec = this.envs[0].spec;
    this.obsSize = this.spec.observationSpace.size;
    this.actionSize = actionSize(this.spec.actionSpace);
    this.result = {
      obs: new Float64Array(numEnvs * this.obsSize),
      rewards: new Float64Array(numEnvs),
      terminated: new Uint8Array(numEnvs),
      truncated: new Uint8Array(numEnvs),
      finalObs: new Array<Float64Array | null>(numEnvs).fill(null),
      episodes: [],
    };
    this.episodeReturns = new Float64Array(numEnvs);
    this.episodeLengths = new Int32Array(numEnvs);
    this.episodeTerms = Array.from({ length: numEnvs }, () => ({}));
  }

  get scene(): Scene {
    return this.envs[0].scene;
  }

  reset(seed?: number): Float64Array {
    for (let i = 0; i < this.numEnvs; i++) {
      this.result.obs.set(this.envs[i].reset(seed === undefined ? {} : { seed: seed + i }).obs, i * this.obsSize);
      this.startEpisode(i);
    }
    this.result.finalObs.fill(null);
    this.result.episodes.length = 0;
    return this.result.obs;
  }

  step(actions: Float64Array): VecStepResult {
    if (actions.length !== this.numEnvs * this.actionSize) {
      throw new Error(`step: expected ${this.numEnvs} x ${this.actionSize} actions, got ${actions.length}`);
    }
    const r = this.result;
    r.episodes.length = 0;
    for (let i = 0; i < this.numEnvs; i++) {
      const step = this.envs[i].step(actions.subarray(i * this.actionSize, (i + 1) * this.actionSize));
      r.rewards[i] = step.reward;
      r.terminated[i] = step.terminated ? 1 : 0;
      r.truncated[i] = step.truncated ? 1 : 0;
      this.episodeReturns[i] += step.reward;
      this.episodeLengths[i]++;
      const terms = this.episodeTerms[i],
        stepTerms = step.info.rewardTerms;
      if (stepTerms) for (const name in stepTerms) terms[name] = (terms[name] ?? 0) + stepTerms[name];
      if (step.terminated || step.truncated) {
        // A copy: an env may reuse its obs buffer, and the reset below would overwrite it.
        r.finalObs[i] = Float64Array.from(step.obs);
        r.episodes.push({ envIndex: i, return: this.episodeReturns[i], length: this.episodeLengths[i], rewardTerms: { ...terms } });
        this.startEpisode(i);
        r.obs.set(this.envs[i].reset().obs, i * this.obsSize);
      } else {
        r.finalObs[i] = null;
        r.obs.set(step.obs, i * this.obsSize);
      }
    }
    return r;
  }

  frame(index: number, out?: Frame): Frame {
    return this.envs[index].frame(out);
  }

  saveState(): EnvSnapshot {
    return {
      envs: this.envs.map((e) => e.saveState()),
      obs: Array.from(this.result.obs),
      episodeReturns: Array.from(this.episodeReturns),
      episodeLengths: Array.from(this.episodeLengths),
      episodeTerms: this.episodeTerms.map((t) => ({ ...t })),
    };
  }

  loadState(snapshot: EnvSnapshot): void {
    const envs = snapshot.envs as EnvSnapshot[];
    if (envs.length !== this.numEnvs) throw new Error(`snapshot has ${envs.length} envs, this vector env has ${this.numEnvs}`);
    envs.forEach((s, i) => this.envs[i].loadState(s));
    this.result.obs.set(snapshot.obs as number[]);
    this.episodeReturns.set(snapshot.episodeReturns as number[]);
    this.episodeLengths.set(snapshot.episodeLengths as number[]);
    (snapshot.episodeTerms as Record<string, number>[]).forEach((t, i) => (this.episodeTerms[i] = { ...t }));
  }

  copyEnv(from: number, to: number): void {
    for (const i of [from, to])
      if (!Number.isInteger(i) || i < 0 || i >= this.numEnvs) throw new RangeError(`copyEnv: env index ${i} outside 0..${this.numEnvs - 1}`);
    if (from === to) return;
    this.envs[to].loadState(this.envs[from].saveState());
    const size = this.obsSize;
    this.result.obs.copyWithin(to * size, from * size, (from + 1) * size);
    this.episodeReturns[to] = this.episodeReturns[from];
    this.episodeLengths[to] = this.episodeLengths[from];
    this.episodeTerms[to] = { ...this.episodeTerms[from] };
  }

  close(): void {
    for (const env of this.envs) env.close();
  }

  private startEpisode(i: number): void {
    this.episodeReturns[i] = 0;
    this.episodeLengths[i] = 0;
    this.episodeTerms[i] = {};
  }
}
