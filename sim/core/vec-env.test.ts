import { describe, expect, it } from 'vitest';
import type { Env, EnvSnapshot, ResetOptions, StepResult } from './env.ts';
import { makeEnv } from '../index.ts';
import { uniformBox } from './spaces.ts';
import { TimeLimit } from './time-limit.ts';
import { SyncVecEnv } from './vec-env.ts';

/**
 * obs [marker, t] with marker = 100·seed + number of resets; reward = the action, split into two
 * terms; terminates after `episodeLength` steps. Reuses its obs buffer, as physics envs may.
 */
class CountingEnv implements Env {
  readonly spec = {
    id: 'Counting-v0',
    description: 'counts steps',
    observationSpace: uniformBox(2, -Infinity, Infinity),
    actionSpace: uniformBox(1, -10, 10),
    dtSeconds: 1,
    maxEpisodeSteps: 1000,
    rewardTerms: ['action', 'half'],
  };
  readonly scene = { id: 'Counting-v0', bodies: [], up: 'z' as const };
  private readonly obs = new Float64Array(2);
  private seed = 0;
  private resets = 0;

  constructor(private readonly episodeLength: number) {}

  reset(options: ResetOptions = {}) {
    if (options.seed !== undefined) this.seed = options.seed;
    this.resets++;
    this.obs[0] = 100 * this.seed + this.resets;
    this.obs[1] = 0;
    return { obs: this.obs, info: {} };
  }

  step(action: ArrayLike<number>): StepResult {
    this.obs[1]++;
    const reward = action[0];
    return {
      obs: this.obs,
      reward,
      terminated: this.obs[1] === this.episodeLength,
      truncated: false,
      info: { rewardTerms: { action: reward, half: reward / 2 } },
    };
  }

  frame(): Float32Array {
    return new Float32Array(0);
  }
  saveState(): EnvSnapshot {
    return { obs: Array.from(this.obs), seed: this.seed, resets: this.resets };
  }
  loadState(s: EnvSnapshot): void {
    this.obs.set(s.obs as number[]);
    this.seed = s.seed as number;
    this.resets = s.resets as number;
  }
  close(): void {}
}

describe('SyncVecEnv', () => {
  it('seeds env i with seed + i', () => {
    const vec = new SyncVecEnv(3, () => new CountingEnv(5));
    expect(Array.from(vec.reset(7))).toEqual([701, 0, 801, 0, 901, 0]);
    expect(vec.reset(7)).toBe(vec.reset(7)); // one reused buffer
  });

  it('auto-resets an ended env, keeps a copy of its final observation, and records the episode', () => {
    // Env 0 ends after 2 steps, env 1 after 3.
    const vec = new SyncVecEnv(2, (i) => new CountingEnv(2 + i));
    vec.reset(0);
    let r = vec.step(Float64Array.of(1, 10));
    expect(Array.from(r.obs)).toEqual([1, 1, 101, 1]);
    expect(r.finalObs).toEqual([null, null]);
    expect(r.episodes).toEqual([]);
    r = vec.step(Float64Array.of(2, 20));
    expect(Array.from(r.terminated)).toEqual([1, 0]);
    expect(Array.from(r.rewards)).toEqual([2, 20]);
    // Env 0's obs is already the first of its next episode; the final one survived the reset.
    expect(Array.from(r.obs)).toEqual([2, 0, 101, 2]);
    expect(Array.from(r.finalObs[0]!)).toEqual([1, 2]);
    expect(r.finalObs[1]).toBeNull();
    expect(r.episodes).toEqual([{ envIndex: 0, return: 3, length: 2, rewardTerms: { action: 3, half: 1.5 } }]);
    const obsBuffer = r.obs;
    r = vec.step(Float64Array.of(4, 40));
    expect(r.obs).toBe(obsBuffer);
    expect(r.finalObs[0]).toBeNull();
    expect(r.episodes).toEqual([{ envIndex: 1, return: 70, length: 3, rewardTerms: { action: 70, half: 35 } }]);
    // Env 0's next episode counts from its reset: 4 + 8 over 2 steps.
    expect(vec.step(Float64Array.of(8, 0)).episodes).toEqual([{ envIndex: 0, return: 12, length: 2, rewardTerms: { action: 12, half: 6 } }]);
  });

  it('reports truncation separately from termination', () => {
    const vec = new SyncVecEnv(2, () => new TimeLimit(new CountingEnv(100), 2));
    vec.reset(0);
    vec.step(Float64Array.of(0, 0));
    const r = vec.step(Float64Array.of(0, 0));
    expect(Array.from(r.truncated)).toEqual([1, 1]);
    expect(Array.from(r.terminated)).toEqual([0, 0]);
    expect(r.episodes.map((e) => e.length)).toEqual([2, 2]);
    expect(Array.from(r.finalObs[1]!)).toEqual([101, 2]);
  });

  it('steps like the single envs it holds', () => {
    const vec = new SyncVecEnv(2, () => makeEnv('Pendulum-v1'));
    const singles = [0, 1].map(() => makeEnv('Pendulum-v1'));
    const obs = Array.from(vec.reset(5));
    expect(obs).toEqual([...singles[0].reset({ seed: 5 }).obs, ...singles[1].reset({ seed: 6 }).obs]);
    for (let t = 0; t < 5; t++) {
      const r = vec.step(Float64Array.of(0.5, -1.5));
      const expected = [singles[0].step([0.5]), singles[1].step([-1.5])];
      expect(Array.from(r.obs)).toEqual([...expected[0].obs, ...expected[1].obs]);
      expect(Array.from(r.rewards)).toEqual([expected[0].reward, expected[1].reward]);
    }
  });

  it('continues bit for bit from a snapshot, episode statistics included', () => {
    const make = () => new SyncVecEnv(2, () => makeEnv('Pendulum-v1', { maxEpisodeSteps: 4 }));
    const original = make();
    original.reset(3);
    original.step(Float64Array.of(1, 1));
    const snapshot = JSON.parse(JSON.stringify(original.saveState()));
    const resumed = make();
    resumed.loadState(snapshot);
    for (let t = 0; t < 6; t++) {
      const a = original.step(Float64Array.of(-1, 2)),
        b = resumed.step(Float64Array.of(-1, 2));
      expect(Array.from(b.obs)).toEqual(Array.from(a.obs));
      expect(b.episodes).toEqual(a.episodes);
    }
  });

  it('copies one env into another: the copy then steps exactly like its source, episode included', () => {
    const vec = new SyncVecEnv(2, () => makeEnv('Pendulum-v1', { maxEpisodeSteps: 5 }));
    vec.reset(3);
    vec.step(Float64Array.of(1, -1));
    vec.copyEnv(0, 1);
    for (let t = 0; t < 4; t++) {
      const r = vec.step(Float64Array.of(0.3, 0.3));
      expect(Array.from(r.obs.subarray(3, 6))).toEqual(Array.from(r.obs.subarray(0, 3)));
      expect(r.rewards[1]).toBe(r.rewards[0]);
      if (r.episodes.length > 0) expect(r.episodes.map((e) => e.return)).toEqual([r.episodes[0].return, r.episodes[0].return]);
    }
    expect(() => vec.copyEnv(0, 2)).toThrow('env index 2 outside 0..1');
  });

  it('rejects an action array of the wrong size', () => {
    const vec = new SyncVecEnv(2, () => new CountingEnv(3));
    vec.reset(0);
    expect(() => vec.step(Float64Array.of(1))).toThrow('expected 2 x 1 actions, got 1');
  });
});
