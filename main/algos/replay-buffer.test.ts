/** The replay buffer: ring order, seeded uniform sampling, and checkpoints that restore it exactly. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/index.ts';
import type { TransitionBatch } from './algorithm.ts';
import { ReplayBuffer } from './replay-buffer.ts';

/** Transition t of env e: obs (t, e), next obs (t + 1, e) (or a distinct final obs), action t + e / 10, reward -t, terminated every 5th. */
function addSteps(buffer: ReplayBuffer, from: number, to: number, numEnvs: number, episodeEnd?: (t: number) => boolean): void {
  for (let t = from; t < to; t++) {
    const obs: number[] = [],
      next: number[] = [],
      actions: number[] = [],
      rewards: number[] = [],
      terminated: number[] = [];
    for (let e = 0; e < numEnvs; e++) {
      const ended = episodeEnd?.(t) ?? false;
      obs.push(t, e);
      next.push(ended ? -1000 - t : t + 1, e);
      actions.push(t + e / 10);
      rewards.push(-t);
      terminated.push(t % 5 === 4 ? 1 : 0);
    }
    buffer.add(obs, next, actions, rewards, terminated, numEnvs);
  }
}

function batchOf(size: number): TransitionBatch {
  return {
    size,
    obs: new Float32Array(size * 2),
    actions: new Float32Array(size),
    rewards: new Float32Array(size),
    nextObs: new Float32Array(size * 2),
    terminated: new Float32Array(size),
  };
}

describe('ReplayBuffer', () => {
  it('fills rows in order, then overwrites the oldest (ring)', () => {
    const buffer = new ReplayBuffer(5, 2, 1);
    addSteps(buffer, 0, 3, 1);
    expect(buffer.size).toBe(3);
    addSteps(buffer, 3, 7, 1); // 7 transitions into 5 rows: t = 5, 6 overwrite rows 0, 1
    expect(buffer.size).toBe(5);
    const state = buffer.saveState(1);
    expect(Array.from(state.arrays.rewards)).toEqual([-5, -6, -2, -3, -4]);
    expect(Array.from(state.arrays.obs)).toEqual([5, 0, 6, 0, 2, 0, 3, 0, 4, 0]);
    expect(state.scalars.position).toBe(2);
  });

  it('stores the envs of one vector step in consecutive rows, wrapping one by one', () => {
    const buffer = new ReplayBuffer(5, 2, 1);
    addSteps(buffer, 0, 3, 2); // rows: (0,0) (0,1) (1,0) (1,1) (2,0), then (2,1) wraps to row 0
    const state = buffer.saveState(2);
    expect(Array.from(state.arrays.obs)).toEqual([2, 1, 0, 1, 1, 0, 1, 1, 2, 0]);
    expect(Array.from(state.arrays.actions)).toEqual([2.1, 0.1, 1, 1.1, 2].map(Math.fround));
    expect(state.scalars.position).toBe(1);
  });

  it('samples whole transitions uniformly with replacement, the same for the same seed', () => {
    const buffer = new ReplayBuffer(100, 2, 1);
    addSteps(buffer, 0, 10, 1);
    const a = batchOf(2000),
      b = batchOf(2000);
    buffer.sample(Rng.fromSeed(3), a);
    buffer.sample(Rng.fromSeed(3), b);
    expect(a).toEqual(b);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < a.size; i++) {
      const t = a.obs[2 * i];
      counts[t]++;
      // Every field of a sampled row belongs to the same transition.
      expect([a.nextObs[2 * i], a.actions[i], a.rewards[i], a.terminated[i]]).toEqual([t + 1, t, -t, t % 5 === 4 ? 1 : 0]);
    }
    // Only the 10 filled rows, each about 200 times (binomial std ≈ 13).
    for (const count of counts) expect(Math.abs(count - 200)).toBeLessThan(60);
    expect(() => new ReplayBuffer(4, 2, 1).sample(Rng.fromSeed(1), batchOf(1))).toThrow('empty');
  });

  it('saves next observations only where they are not the next stored observation, and restores everything exactly', () => {
    const buffer = new ReplayBuffer(7, 2, 1);
    // 2 envs, 9 steps into 7 rows: rows 0-3 hold t = 7, 8 and rows 4-6 hold (t, env) = (5, 1), (6, 0), (6, 1).
    // Episodes end at t = 6, with a final obs that is not the next row's obs.
    addSteps(buffer, 0, 9, 2, (t) => t === 6);
    const state = buffer.saveState(2);
    // Kept: t = 8 (its successors were overwritten by older data) and the episode end at t = 6.
    expect(Array.from(state.arrays.next_obs_rows)).toEqual([2, 3, 5, 6]);
    expect(Array.from(state.arrays.next_obs)).toEqual([9, 0, 9, 1, -1006, 0, -1006, 1]);

    const restored = new ReplayBuffer(7, 2, 1);
    restored.loadState(state);
    const [a, b] = [batchOf(50), batchOf(50)];
    buffer.sample(Rng.fromSeed(9), a);
    restored.sample(Rng.fromSeed(9), b);
    expect(b).toEqual(a);
    expect(restored.saveState(2)).toEqual(state);
  });

  it('tells -0 from +0 when deciding a next observation need not be saved', () => {
    const buffer = new ReplayBuffer(4, 1, 1);
    buffer.add([1], [-0], [0], [0], [0], 1);
    buffer.add([0], [2], [0], [0], [0], 1);
    const restored = new ReplayBuffer(4, 1, 1);
    restored.loadState(buffer.saveState(1));
    const batch: TransitionBatch = {
      size: 1,
      obs: new Float32Array(1),
      actions: new Float32Array(1),
      rewards: new Float32Array(1),
      nextObs: new Float32Array(1),
      terminated: new Float32Array(1),
    };
    const rng = Rng.fromSeed(0);
    // Find row 0 (obs 1) and check its next obs kept its sign.
    do restored.sample(rng, batch);
    while (batch.obs[0] !== 1);
    expect(Object.is(batch.nextObs[0], -0)).toBe(true);
  });

  it('rejects a state that does not fit', () => {
    const state = new ReplayBuffer(10, 2, 1);
    addSteps(state, 0, 8, 1);
    expect(() => new ReplayBuffer(5, 2, 1).loadState(state.saveState(1))).toThrow('does not fit a buffer of 5');
    expect(() => new ReplayBuffer(10, 3, 1).loadState(state.saveState(1))).toThrow('"obs" should hold 24 values, found 16');
  });
});
