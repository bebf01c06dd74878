/**
 * Replays every trajectory Gymnasium 0.29.1 itself produced (../shared/reference) through our
 * classic-control envs: observations and rewards agree to 1e-4, termination exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../index.ts';

interface ReferenceCase {
  env: string;
  state0: number[];
  actions: (number | number[])[];
  obs: number[][];
  rewards: number[];
  terminated: boolean[];
}

const REFERENCE = path.resolve(process.cwd(), '../shared/reference/classic_control_gymnasium.json');
// Missing reference data must fail loudly, not skip.
const cases = (JSON.parse(fs.readFileSync(REFERENCE, 'utf8')) as { cases: ReferenceCase[] }).cases;

describe('classic control matches Gymnasium', () => {
  it('covers all three tasks', () => {
    expect(new Set(cases.map((c) => c.env))).toEqual(new Set(['Pendulum-v1', 'MountainCarContinuous-v0', 'CartPole-v1']));
  });

  cases.forEach((c, index) => {
    it(`${c.env} case ${index} (${c.actions.length} steps)`, () => {
      const env = makeEnv(c.env);
      env.reset({ seed: 0, state: c.state0 });
      c.actions.forEach((action, t) => {
        const result = env.step(Array.isArray(action) ? action : [action]);
        const expected = c.obs[t];
        for (let k = 0; k < expected.length; k++) {
          if (Math.abs(result.obs[k] - expected[k]) > 1e-4) {
            throw new Error(`step ${t} obs[${k}] = ${result.obs[k]}, Gymnasium ${expected[k]}`);
          }
        }
        expect(Math.abs(result.reward - c.rewards[t]), `step ${t} reward`).toBeLessThanOrEqual(1e-4);
        expect(result.terminated, `step ${t} terminated`).toBe(c.terminated[t]);
        expect(result.truncated).toBe(t + 1 >= env.spec.maxEpisodeSteps);
      });
    });
  });
});

describe('classic control semantics', () => {
  it('truncates (not terminates) at the time limit', () => {
    const env = makeEnv('Pendulum-v1');
    env.reset({ seed: 1 });
    let last;
    for (let t = 0; t < 200; t++) last = env.step([0]);
    expect(last?.truncated).toBe(true);
    expect(last?.terminated).toBe(false);
  });

  it('gives the same episode from the same seed, and a different one from another', () => {
    const rollout = (seed: number) => {
      const env = makeEnv('MountainCarContinuous-v0');
      const obs = [Array.from(env.reset({ seed }).obs)];
      for (let t = 0; t < 20; t++) obs.push(Array.from(env.step([0.5]).obs));
      return obs;
    };
    expect(rollout(4)).toEqual(rollout(4));
    expect(rollout(4)).not.toEqual(rollout(5));
  });

  it('restores a saved state exactly, generator included', () => {
    const env = makeEnv('CartPole-v1');
    env.reset({ seed: 2 });
    env.step([1]);
    const saved = JSON.parse(JSON.stringify(env.saveState()));
    const continued = [env.step([0]).obs, env.reset().obs];
    const copy = makeEnv('CartPole-v1');
    copy.loadState(saved);
    expect([copy.step([0]).obs, copy.reset().obs]).toEqual(continued);
  });

  it('names the known ids when asked for an unknown one', () => {
    expect(() => makeEnv('Pendulum-v0')).toThrow(/unknown environment "Pendulum-v0".*Pendulum-v1/);
  });

  it('draws a frame per body of its scene', () => {
    for (const id of ['Pendulum-v1', 'MountainCarContinuous-v0', 'CartPole-v1']) {
      const env = makeEnv(id);
      env.reset({ seed: 0 });
      const frame = env.frame();
      expect(frame.length).toBe(env.scene.bodies.length * 7);
      expect(frame.every(Number.isFinite)).toBe(true);
    }
  });
});
