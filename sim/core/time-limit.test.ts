import { describe, expect, it } from 'vitest';
import { makeEnv } from '../index.ts';
import { TimeLimit } from './time-limit.ts';

describe('TimeLimit', () => {
  it('truncates, without terminating, at maxEpisodeSteps and counts again after a reset', () => {
    const env = makeEnv('Pendulum-v1', { maxEpisodeSteps: 3 });
    expect(env.spec.maxEpisodeSteps).toBe(3);
    for (let episode = 0; episode < 2; episode++) {
      env.reset({ seed: episode });
      const flags = [0, 1, 2].map(() => env.step([0])).map((r) => [r.terminated, r.truncated]);
      expect(flags).toEqual([
        [false, false],
        [false, false],
        [false, true],
      ]);
    }
  });

  it('defaults to the spec limit and reports both flags when the last step also terminates', () => {
    const cartPole = makeEnv('CartPole-v1');
    expect(cartPole.spec.maxEpisodeSteps).toBe(500);
    const env = makeEnv('CartPole-v1', { maxEpisodeSteps: 1 });
    env.reset({ state: [2.39, 1, 0, 0] }); // x = 2.41 after one step: out of bounds
    const r = env.step([1]);
    expect([r.terminated, r.truncated]).toEqual([true, true]);
  });

  it('saves the elapsed steps with the inner state', () => {
    const env = makeEnv('Pendulum-v1', { maxEpisodeSteps: 3 });
    env.reset({ seed: 0 });
    env.step([0]);
    env.step([0]);
    const copy = makeEnv('Pendulum-v1', { maxEpisodeSteps: 3 });
    copy.loadState(JSON.parse(JSON.stringify(env.saveState())));
    const [a, b] = [env.step([1]), copy.step([1])];
    expect(b).toEqual(a);
    expect(b.truncated).toBe(true);
  });

  it('rejects a limit that is not a positive integer', () => {
    const inner = makeEnv('Pendulum-v1');
    expect(() => new TimeLimit(inner, 0)).toThrow('positive integer');
    expect(() => new TimeLimit(inner, 2.5)).toThrow('positive integer');
  });
});
