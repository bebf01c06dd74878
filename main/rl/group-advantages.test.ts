import { describe, expect, it } from 'vitest';
import { computeGroupAdvantages } from './group-advantages.ts';

/** Interleaves per-env columns into the time-major [T, N] layout. */
const timeMajor = (...columns: number[][]) => Float32Array.from(columns[0].flatMap((_, t) => columns.map((c) => c[t])));

function run(rewardColumns: number[][], endedColumns: number[][], options: { groupSize: number; leaveOneOut: boolean; scaleByStd: boolean }) {
  const numEnvs = rewardColumns.length,
    numSteps = rewardColumns[0].length;
  const advantages = new Float32Array(numEnvs * numSteps),
    returns = new Float32Array(numEnvs * numSteps);
  computeGroupAdvantages({
    rewards: timeMajor(...rewardColumns),
    episodeEnded: timeMajor(...endedColumns),
    numSteps,
    numEnvs,
    gamma: 0.5,
    ...options,
    advantages,
    returns,
  });
  /** Back to per-env columns. */
  const column = (a: Float32Array, e: number) => Array.from({ length: numSteps }, (_, t) => a[t * numEnvs + e]);
  return { advantages: rewardColumns.map((_, e) => column(advantages, e)), returns: rewardColumns.map((_, e) => column(returns, e)) };
}

describe('computeGroupAdvantages', () => {
  // One group of 3, gamma 0.5, 2 steps, nobody ends: G = r0 + 0.5 r1 at t0, r1 at t1.
  // env 0: r = [2, 2] -> G = [3, 2]; env 1: r = [0, 4] -> G = [2, 4]; env 2: r = [1, 0] -> G = [1, 0].
  const rewards = [
    [2, 2],
    [0, 4],
    [1, 0],
  ];
  const none = [
    [0, 0],
    [0, 0],
    [0, 0],
  ];

  it('subtracts the group mean at each step (GRPO without the std)', () => {
    const { advantages, returns } = run(rewards, none, { groupSize: 3, leaveOneOut: false, scaleByStd: false });
    expect(returns).toEqual([
      [3, 2],
      [2, 4],
      [1, 0],
    ]);
    // means: t0 = 2, t1 = 2
    expect(advantages).toEqual([
      [1, 0],
      [0, 2],
      [-1, -2],
    ]);
  });

  it('leaves the member out of its own baseline (RLOO)', () => {
    const { advantages } = run(rewards, none, { groupSize: 3, leaveOneOut: true, scaleByStd: false });
    // t0: env 0 vs mean(2, 1) = 1.5 -> 1.5; env 1 vs 2 -> 0; env 2 vs 2.5 -> -1.5
    // t1: env 0 vs mean(4, 0) = 2 -> 0; env 1 vs 1 -> 3; env 2 vs 3 -> -3
    expect(advantages).toEqual([
      [1.5, 0],
      [0, 3],
      [-1.5, -3],
    ]);
  });

  it('divides by the group std when asked', () => {
    const { advantages } = run(rewards, none, { groupSize: 3, leaveOneOut: false, scaleByStd: true });
    const std0 = Math.sqrt(2 / 3),
      std1 = Math.sqrt(8 / 3);
    const expected = [
      [1 / std0, 0],
      [0, 2 / std1],
      [-1 / std0, -2 / std1],
    ];
    advantages.forEach((col, e) => col.forEach((a, t) => expect(a).toBeCloseTo(expected[e][t], 5)));
  });

  it('keeps groups apart, and drops rows after a member left the shared episode', () => {
    // Groups {0, 1} and {2, 3}. env 1 falls at t0: its t1 row starts a new episode from elsewhere.
    const { advantages, returns } = run(
      [
        [1, 1],
        [5, 9],
        [4, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [1, 0],
        [0, 0],
        [0, 0],
      ],
      { groupSize: 2, leaveOneOut: false, scaleByStd: false },
    );
    expect(returns).toEqual([
      [1.5, 1],
      [5, 9],
      [4, 0],
      [0, 0],
    ]);
    // t0: group 1 mean (1.5 + 5) / 2 = 3.25; t1: env 0 alone in its group -> 0; env 1 dropped -> 0.
    // group 2: t0 mean 2, t1 mean 0.
    expect(advantages).toEqual([
      [-1.75, 0],
      [1.75, 0],
      [2, 0],
      [-2, 0],
    ]);
  });

  it('refuses a group size that does not divide the envs', () => {
    expect(() => run(rewards, none, { groupSize: 2, leaveOneOut: false, scaleByStd: false })).toThrow('must be at least 2 and divide the 3 envs');
  });
});
