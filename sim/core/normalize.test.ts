/**
 * The normalizers against values worked out by hand from Gymnasium's RunningMeanStd formulas
 * (count starts at 1e-4, mean 0, var 1; Chan's merge), on scripted two-env sequences.
 */
import { describe, expect, it } from 'vitest';
import type { EnvSnapshot } from './env.ts';
import { NormalizeObservation, NormalizeReward, RunningMeanStd } from './normalize.ts';
import { box } from './spaces.ts';
import type { EpisodeRecord, VecEnv, VecStepResult } from './vec-env.ts';

interface ScriptedStep {
  obs: number[];
  rewards?: number[];
  terminated?: number[];
  truncated?: number[];
  finalObs?: (number[] | null)[];
  episodes?: EpisodeRecord[];
}

/** Two envs with one observation component each, replaying a script. */
class ScriptedVecEnv implements VecEnv {
  readonly numEnvs = 2;
  readonly obsSize = 1;
  readonly actionSize = 1;
  readonly spec = {
    id: 'Scripted-v0',
    description: 'replays a script',
    observationSpace: box([-Infinity], [Infinity]),
    actionSpace: box([-1], [1]),
    dtSeconds: 1,
    maxEpisodeSteps: 100,
    rewardTerms: [],
  };
  readonly scene = { id: 'Scripted-v0', bodies: [], up: 'z' as const };
  private t = 0;

  constructor(
    private readonly resetObs: number[],
    private readonly steps: ScriptedStep[],
  ) {}

  reset(): Float64Array {
    this.t = 0;
    return Float64Array.from(this.resetObs);
  }

  step(): VecStepResult {
    const s = this.steps[this.t++];
    return {
      obs: Float64Array.from(s.obs),
      rewards: Float64Array.from(s.rewards ?? [0, 0]),
      terminated: Uint8Array.from(s.terminated ?? [0, 0]),
      truncated: Uint8Array.from(s.truncated ?? [0, 0]),
      finalObs: (s.finalObs ?? [null, null]).map((o) => (o ? Float64Array.from(o) : null)),
      episodes: s.episodes ?? [],
    };
  }

  frame(): Float32Array {
    return new Float32Array(0);
  }
  saveState(): EnvSnapshot {
    return { t: this.t };
  }
  loadState(snapshot: EnvSnapshot): void {
    this.t = snapshot.t as number;
  }
  readonly copies: [number, number][] = [];
  copyEnv(from: number, to: number): void {
    this.copies.push([from, to]);
  }
  close(): void {}
}

const NO_ACTIONS = new Float64Array(2);

describe('RunningMeanStd', () => {
  it('matches the mean and variance of all the data after several batches (with no prior)', () => {
    const rms = new RunningMeanStd(2, 0);
    const rows = [1, 10, 2, 20, 3, 30, 4, 40, 10, 100, -2, -20, 0.5, 5];
    rms.update(Float64Array.from(rows.slice(0, 6)), 3);
    rms.update(Float64Array.from(rows.slice(6)), 4);
    for (const k of [0, 1]) {
      const column = rows.filter((_, i) => i % 2 === k);
      const mean = column.reduce((a, b) => a + b) / column.length;
      const variance = column.reduce((a, x) => a + (x - mean) ** 2, 0) / column.length;
      expect(rms.mean[k]).toBeCloseTo(mean, 12);
      expect(rms.var[k]).toBeCloseTo(variance, 12);
    }
    expect(rms.count).toBe(7);
  });
});

describe('NormalizeObservation', () => {
  const script = () => new ScriptedVecEnv([1, 3], [{ obs: [5, 7], terminated: [0, 1], finalObs: [null, [6]] }, { obs: [9, -20] }]);

  it('normalizes with running statistics over every env, including the reset observations', () => {
    const vec = new NormalizeObservation(script(), { clip: 3 });
    // Reset batch [1, 3]: mean 2, var 1, n 2 merged into the prior (mean 0, var 1, count 1e-4):
    // count 2.0001, mean 4/2.0001, var (1e-4 + 2 + 4·1e-4·2/2.0001)/2.0001.
    const first = vec.reset();
    expect(first[0]).toBeCloseTo(-0.9998000349925015, 12);
    expect(first[1]).toBeCloseTo(1.0000000049980007, 12);
    // Step batch [5, 7] merged in: count 4.0001, mean 3.99990000250, var 5.00029998250.
    const r = vec.step(NO_ACTIONS);
    expect(vec.getStats().count).toBeCloseTo(4.0001, 12);
    expect(vec.getStats().mean[0]).toBeCloseTo(3.9999000024999374, 12);
    expect(vec.getStats().var[0]).toBeCloseTo(5.000299982500687, 12);
    expect(r.obs[0]).toBeCloseTo(0.447244898931181, 12);
    expect(r.obs[1]).toBeCloseTo(1.3416452589934817, 12);
    // The final observation (6) of env 1's episode is normalized with the same statistics, not added to them.
    expect(r.finalObs[0]).toBeNull();
    expect(r.finalObs[1]![0]).toBeCloseTo(0.8944450789623314, 12);
  });

  it('freezes its statistics when not training, and clips', () => {
    const vec = new NormalizeObservation(script(), { clip: 3 });
    vec.reset();
    vec.step(NO_ACTIONS);
    const before = vec.getStats();
    vec.training = false;
    const r = vec.step(NO_ACTIONS); // raw [9, -20]
    expect(vec.getStats()).toEqual(before);
    expect(r.obs[0]).toBeCloseTo(2.2360456190557825, 12);
    expect(r.obs[1]).toBe(-3);
    expect(vec.normalize([3.9999000024999374])[0]).toBeCloseTo(0, 12);
  });

  it('continues exactly from restored statistics', () => {
    const original = new NormalizeObservation(script());
    original.reset();
    original.step(NO_ACTIONS);
    const resumed = new NormalizeObservation(script());
    resumed.reset();
    resumed.step(NO_ACTIONS);
    resumed.setStats(JSON.parse(JSON.stringify(original.getStats())));
    expect(Array.from(resumed.step(NO_ACTIONS).obs)).toEqual(Array.from(original.step(NO_ACTIONS).obs));
    expect(() => resumed.setStats({ mean: [0, 0], var: [1, 1], count: 1 })).toThrow('expected 1');
  });
});

describe('NormalizeReward', () => {
  const episode: EpisodeRecord = { envIndex: 1, return: -2, length: 2, rewardTerms: {} };
  const script = () =>
    new ScriptedVecEnv(
      [0, 0],
      [
        { obs: [0, 0], rewards: [1, 2] },
        { obs: [0, 0], rewards: [3, -4], truncated: [0, 1], episodes: [episode] },
        { obs: [0, 0], rewards: [2, 8] },
        { obs: [0, 0], rewards: [1000, 0] },
      ],
    );

  it("copies an env's return accumulator with the env (group rollouts start from copies)", () => {
    const inner = new ScriptedVecEnv([0, 0], [{ obs: [0, 0], rewards: [1, 3] }]);
    const wrapper = new NormalizeReward(inner, { gamma: 0.9 });
    wrapper.reset();
    wrapper.step(NO_ACTIONS);
    wrapper.copyEnv(1, 0);
    expect(inner.copies).toEqual([[1, 0]]);
    expect(wrapper.getStats().returns).toEqual([3, 3]);
  });

  it('divides rewards by the running std of the discounted return, restarting it at episode ends', () => {
    const vec = new NormalizeReward(script(), { gamma: 0.5 });
    vec.reset();
    // Returns [1, 2]: var (1e-4 + 2·0.25 + 1e-4·2·1.5²/2.0001)/2.0001 = 0.2501499868759.
    let r = vec.step(NO_ACTIONS);
    expect(r.rewards[0]).toBeCloseTo(1 / Math.sqrt(0.25014998687593737 + 1e-8), 12);
    expect(r.rewards[0]).toBeCloseTo(1.9994002823500832, 12);
    expect(r.rewards[1]).toBeCloseTo(3.9988005647001663, 12);
    // Returns [0.5·1 + 3, 0.5·2 − 4] = [3.5, −3]; env 1's episode is truncated, so its return restarts at 0.
    r = vec.step(NO_ACTIONS);
    expect(r.rewards[0]).toBeCloseTo(1.2460287460977257, 12);
    expect(r.rewards[1]).toBeCloseTo(-1.6613716614636342, 12);
    // The episode record and rawRewards stay in the env's units.
    expect(r.episodes).toEqual([episode]);
    expect(Array.from(r.rawRewards!)).toEqual([3, -4]);
    // Returns [0.5·3.5 + 2, 0 + 8] = [3.75, 8].
    r = vec.step(NO_ACTIONS);
    expect(r.rewards[0]).toBeCloseTo(0.6050810045355514, 12);
    expect(r.rewards[1]).toBeCloseTo(2.4203240181422054, 12);
    const stats = vec.getStats();
    expect(stats.returns).toEqual([3.75, 8]);
    expect(stats.var).toBeCloseTo(10.925289466760752, 12);
    expect(stats.count).toBeCloseTo(6.0001, 12);
    // A huge reward is clipped to ±clip (frozen statistics, or the reward would inflate them too).
    vec.training = false;
    expect(vec.step(NO_ACTIONS).rewards[0]).toBe(10);
  });

  it('freezes its statistics when not training but keeps following the returns', () => {
    const vec = new NormalizeReward(script(), { gamma: 0.5 });
    vec.reset();
    vec.step(NO_ACTIONS);
    vec.training = false;
    const { var: frozenVar, count } = vec.getStats();
    const r = vec.step(NO_ACTIONS);
    expect(r.rewards[0]).toBeCloseTo(3 / Math.sqrt(frozenVar + 1e-8), 12);
    expect(vec.getStats()).toMatchObject({ var: frozenVar, count, returns: [3.5, 0] });
  });

  it('resumes exactly from its statistics, return accumulators included', () => {
    const original = new NormalizeReward(script(), { gamma: 0.5 });
    original.reset();
    original.step(NO_ACTIONS);
    const saved = JSON.parse(JSON.stringify(original.getStats()));
    const resumed = new NormalizeReward(script(), { gamma: 0.5 });
    resumed.reset();
    resumed.step(NO_ACTIONS);
    resumed.setStats({ mean: 0, var: 1, count: 1e-4, returns: [0, 0] }); // clobber, then restore
    resumed.setStats(saved);
    for (let t = 0; t < 3; t++) expect(Array.from(resumed.step(NO_ACTIONS).rewards)).toEqual(Array.from(original.step(NO_ACTIONS).rewards));
    expect(() => resumed.setStats({ ...saved, returns: [0] })).toThrow('2 envs');
  });
});
