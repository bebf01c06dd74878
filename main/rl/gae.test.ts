import { describe, expect, it } from 'vitest';
import { computeGae } from './gae.ts';

/** Interleaves per-env columns into the time-major [T, N] layout. */
const timeMajor = (...columns: number[][]) => Float32Array.from(columns[0].flatMap((_, t) => columns.map((c) => c[t])));

describe('computeGae', () => {
  // gamma 0.9, lambda 0.8 (gamma * lambda = 0.72), T = 3, N = 2.
  // env 0 terminates at t = 1 (its nextValue there is ignored); env 1 is truncated at t = 0 and
  // bootstraps from V(final observation) = 10 passed in nextValues.
  const input = {
    rewards: timeMajor([1, 2, 3], [1, 1, 1]),
    values: timeMajor([0.5, 0.6, 0.7], [2, 3, 4]),
    nextValues: timeMajor([0.6, 999, 0.8], [10, 4, 5]),
    terminated: timeMajor([0, 1, 0], [0, 0, 0]),
    episodeEnded: timeMajor([0, 1, 0], [1, 0, 0]),
    gamma: 0.9,
    lambda: 0.8,
    numSteps: 3,
    numEnvs: 2,
  };

  it('matches the hand computation, with a terminated and a truncated step', () => {
    const { advantages, returns } = computeGae(input);
    // env 0: t2 delta = 3 + 0.9 * 0.8 - 0.7 = 3.02            A = 3.02
    //         t1 delta = 2 - 0.6 = 1.4 (terminated)            A = 1.4 (the episode ended: no A_2)
    //         t0 delta = 1 + 0.9 * 0.6 - 0.5 = 1.04            A = 1.04 + 0.72 * 1.4 = 2.048
    // env 1: t2 delta = 1 + 0.9 * 5 - 4 = 1.5                  A = 1.5
    //         t1 delta = 1 + 0.9 * 4 - 3 = 1.6                 A = 1.6 + 0.72 * 1.5 = 2.68
    //         t0 delta = 1 + 0.9 * 10 - 2 = 8 (truncated)      A = 8 (the episode ended: no A_1)
    const expectedAdvantages = timeMajor([2.048, 1.4, 3.02], [8, 2.68, 1.5]);
    const expectedReturns = timeMajor([2.548, 2, 3.72], [10, 5.68, 5.5]);
    expectedAdvantages.forEach((a, i) => expect(advantages[i]).toBeCloseTo(a, 5));
    expectedReturns.forEach((r, i) => expect(returns[i]).toBeCloseTo(r, 5));
  });

  it('reduces to discounted returns minus values with lambda 1 and no episode end', () => {
    const { advantages } = computeGae({
      ...input,
      terminated: new Float32Array(6),
      episodeEnded: new Float32Array(6),
      nextValues: timeMajor([0.6, 0.7, 0], [3, 4, 0]),
      lambda: 1,
    });
    // env 0: 1 + 0.9 * 2 + 0.81 * 3 - 0.5
    expect(advantages[0]).toBeCloseTo(1 + 1.8 + 2.43 - 0.5, 5);
  });

  it('writes into the output buffers it is given', () => {
    const advantages = new Float32Array(6),
      returns = new Float32Array(6);
    const result = computeGae({ ...input, advantages, returns });
    expect(result.advantages).toBe(advantages);
    expect(result.returns).toBe(returns);
    expect(advantages[0]).toBeCloseTo(2.048, 5);
  });

  it('rejects arrays that are not numSteps x numEnvs', () => {
    expect(() => computeGae({ ...input, values: new Float32Array(5) })).toThrow('computeGae: values has 5 values, expected numSteps x numEnvs = 6');
  });
});
