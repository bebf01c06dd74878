import { describe, expect, it } from 'vitest';
import { makeEnv, SyncVecEnv, NormalizeObservation, NormalizeReward, RunningMeanStd } from '../index.ts';

describe('SyncVecEnv', () => {
  it('auto-resets, keeps the final observation of a truncated episode, and reports raw episode returns', () => {
    const vec = new SyncVecEnv(2, () => makeEnv('Pendulum-v1', { maxEpisodeSteps: 3 }));
    vec.reset(10);
    const single = makeEnv('Pendulum-v1', { maxEpisodeSteps: 3 });
    single.reset({ seed: 10 });
    let expectedReturn = 0, lastObs: Float64Array = new Float64Array();
    for (let t = 0; t < 3; t++) {
      const s = single.step([0.5]);
      expectedReturn += s.reward;
      lastObs = s.obs;
      const r = vec.step(Float64Array.of(0.5, -0.5));
      if (t < 2) expect(r.finalObs[0]).toBeNull();
      else {
        expect(Array.from(r.truncated)).toEqual([1, 1]);
        expect(Array.from(r.finalObs[0]!)).toEqual(Array.from(lastObs));
        expect(r.episodes).toHaveLength(2);
        expect(r.episodes[0].return).toBeCloseTo(expectedReturn, 12);
        expect(r.episodes[0].length).toBe(3);
        // The returned obs already belongs to the next episode.
        expect(Array.from(r.obs.subarray(0, 3))).not.toEqual(Array.from(lastObs));
      }
    }
  });

  it('seeds env i with seed + i', () => {
    const vec = new SyncVecEnv(2, () => makeEnv('Pendulum-v1'));
    const obs = Array.from(vec.reset(5));
    expect(obs.slice(0, 3)).toEqual(Array.from(makeEnv('Pendulum-v1').reset({ seed: 5 }).obs));
    expect(obs.slice(3)).toEqual(Array.from(makeEnv('Pendulum-v1').reset({ seed: 6 }).obs));
  });
});

describe('RunningMeanStd', () => {
  it('matches the batch mean and variance after several updates', () => {
    const rms = new RunningMeanStd(1, 0);
    const data = [1, 2, 3, 4, 10, -2, 0.5];
    rms.update(Float64Array.from(data.slice(0, 3)), 3);
    rms.update(Float64Array.from(data.slice(3)), 4);
    const mean = data.reduce((a, b) => a + b) / data.length;
    const variance = data.reduce((a, x) => a + (x - mean) ** 2, 0) / data.length;
    expect(rms.mean[0]).toBeCloseTo(mean, 12);
    expect(rms.var[0]).toBeCloseTo(variance, 12);
  });
});

describe('normalization wrappers', () => {
  it('normalizes observations with running statistics and clips them', () => {
    const vec = new NormalizeObservation(new SyncVecEnv(1, () => makeEnv('MountainCarContinuous-v0')), { clip: 5 });
    const first = vec.reset(0);
    // After one observation: mean = x·1/(1+1e-4) ≈ x, var ≈ 1e-4·(...) small -> near 0.
    expect(Math.abs(first[0])).toBeLessThan(0.02);
    for (let t = 0; t < 50; t++) {
      const r = vec.step(Float64Array.of(1));
      for (const v of r.obs) expect(Math.abs(v)).toBeLessThanOrEqual(5);
    }
    const stats = vec.getStats();
    vec.training = false;
    const frozen = vec.normalize([stats.mean[0], stats.mean[1]]);
    expect(frozen[0]).toBeCloseTo(0, 12);
  });

  it('scales rewards by the std of the discounted return, keeping raw episode returns', () => {
    const inner = new SyncVecEnv(1, () => makeEnv('Pendulum-v1', { maxEpisodeSteps: 4 }));
    const vec = new NormalizeReward(inner, { gamma: 0.5, clip: 100 });
    vec.reset(3);
    const raw = makeEnv('Pendulum-v1', { maxEpisodeSteps: 4 });
    raw.reset({ seed: 3 });
    const rms = new RunningMeanStd(1);
    let ret = 0, rawTotal = 0;
    for (let t = 0; t < 4; t++) {
      const r = vec.step(Float64Array.of(1));
      const rawReward = raw.step([1]).reward;
      rawTotal += rawReward;
      ret = ret * 0.5 + rawReward;
      rms.update(Float64Array.of(ret), 1);
      expect(r.rewards[0]).toBeCloseTo(rawReward / Math.sqrt(rms.var[0] + 1e-8), 10);
      if (t === 3) expect(r.episodes[0].return).toBeCloseTo(rawTotal, 10);
    }
    // The accumulator restarts with the episode.
    expect(vec.getStats().returns).toEqual([0]);
  });
});
