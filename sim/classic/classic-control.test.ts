/**
 * Replays every trajectory Gymnasium 0.29.1 itself produced (sim/fixtures) through our
 * classic-control envs: observations and rewards agree to 1e-4, termination exactly.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../fixtures/reference.test-support.ts';
import { makeEnv } from '../index.ts';
import * as cartPole from './cartpole.ts';
import * as mountainCar from './mountain-car-continuous.ts';
import * as pendulum from './pendulum.ts';

interface ReferenceCase {
  env: string;
  state0: number[];
  actions: (number | number[])[];
  obs: number[][];
  rewards: number[];
  terminated: boolean[];
  /** Not in the current file; checked if a later export adds it. */
  truncated?: boolean[];
}

const reference = readFixture<{ source: string; cases: ReferenceCase[] }>('classic_control_gymnasium.json');
const TOLERANCE = 1e-4;

describe('classic control matches Gymnasium', () => {
  it('has reference data for all three tasks, one entry per step', () => {
    expect(reference.source).toBe('Gymnasium 0.29.1');
    expect(new Set(reference.cases.map((c) => c.env))).toEqual(new Set(['Pendulum-v1', 'MountainCarContinuous-v0', 'CartPole-v1']));
    for (const c of reference.cases) {
      const steps = c.actions.length;
      expect(steps).toBeGreaterThan(0);
      expect([c.obs.length, c.rewards.length, c.terminated.length, c.truncated?.length ?? steps]).toEqual([steps, steps, steps, steps]);
    }
  });

  reference.cases.forEach((c, index) => {
    it(`${c.env} case ${index} (${c.actions.length} steps)`, () => {
      const env = makeEnv(c.env);
      env.reset({ seed: 0, state: c.state0 });
      c.actions.forEach((action, t) => {
        const result = env.step(Array.isArray(action) ? action : [action]);
        const expected = c.obs[t];
        expect(result.obs.length).toBe(expected.length);
        for (let k = 0; k < expected.length; k++) {
          if (!(Math.abs(result.obs[k] - expected[k]) <= TOLERANCE)) {
            throw new Error(`step ${t} obs[${k}] = ${result.obs[k]}, Gymnasium ${expected[k]}`);
          }
        }
        if (!(Math.abs(result.reward - c.rewards[t]) <= TOLERANCE)) {
          throw new Error(`step ${t} reward = ${result.reward}, Gymnasium ${c.rewards[t]}`);
        }
        expect(result.terminated, `step ${t} terminated`).toBe(c.terminated[t]);
        expect(result.truncated, `step ${t} truncated`).toBe(c.truncated?.[t] ?? t + 1 >= env.spec.maxEpisodeSteps);
      });
    });
  });
});

describe('classic control semantics', () => {
  it('clips the torque (Pendulum) and the force (MountainCar) but not the action cost of MountainCar', () => {
    const step = (id: string, state: number[], action: number) => {
      const env = makeEnv(id);
      env.reset({ state });
      return env.step([action]);
    };
    expect(step('Pendulum-v1', [0.5, 0], 7)).toEqual(step('Pendulum-v1', [0.5, 0], 2));
    const [over, atLimit] = [step('MountainCarContinuous-v0', [-0.5, 0], 3), step('MountainCarContinuous-v0', [-0.5, 0], 1)];
    expect(over.obs).toEqual(atLimit.obs);
    expect(over.reward).toBeCloseTo(-0.9, 12);
  });

  it('pays 100 at the MountainCar goal and terminates there', () => {
    const env = makeEnv('MountainCarContinuous-v0');
    env.reset({ state: [0.44, 0.02] });
    const r = env.step([0.5]);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBeCloseTo(100 - 0.1 * 0.25, 12);
  });

  it('gives CartPole 1 on the step that terminates and 0 on terminal steps after it, until a reset', () => {
    const env = makeEnv('CartPole-v1');
    env.reset({ state: [2.39, 1, 0, 0] });
    expect([env.step([1]), env.step([1])].map((r) => [r.reward, r.terminated])).toEqual([
      [1, true],
      [0, true],
    ]);
    const saved = JSON.parse(JSON.stringify(env.saveState()));
    const copy = makeEnv('CartPole-v1');
    copy.loadState(saved);
    expect(copy.step([1]).reward).toBe(0);
    env.reset({ state: [2.39, 1, 0, 0] });
    expect(env.step([1]).reward).toBe(1);
  });

  it("draws initial states from Gymnasium's reset distributions", () => {
    const initialObs = (id: string) => {
      const env = makeEnv(id);
      env.reset({ seed: 11 });
      return Array.from({ length: 200 }, () => Array.from(env.reset().obs));
    };
    const spans = (rows: number[][], k: number, low: number, high: number) =>
      rows.every((row) => row[k] >= low && row[k] <= high) &&
      Math.min(...rows.map((r) => r[k])) < low + 0.1 * (high - low) &&
      Math.max(...rows.map((r) => r[k])) > high - 0.1 * (high - low);
    const pendulumObs = initialObs('Pendulum-v1').map(([cos, sin, thetaDot]) => [Math.atan2(sin, cos), thetaDot]);
    expect(spans(pendulumObs, 0, -Math.PI, Math.PI) && spans(pendulumObs, 1, -1, 1)).toBe(true);
    const carObs = initialObs('MountainCarContinuous-v0');
    expect(spans(carObs, 0, -0.6, -0.4) && carObs.every((row) => row[1] === 0)).toBe(true);
    const cartObs = initialObs('CartPole-v1');
    expect([0, 1, 2, 3].every((k) => spans(cartObs, k, -0.05, 0.05))).toBe(true);
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

  it('refuses to step before the first reset, and checks actions and states', () => {
    expect(() => makeEnv('Pendulum-v1').step([0])).toThrow('call reset() before step()');
    const env = makeEnv('CartPole-v1');
    env.reset({ seed: 0 });
    expect(() => env.step([0.5])).toThrow('action must be 0 or 1');
    expect(() => env.reset({ state: [0, 0] })).toThrow('state must have 4 numbers');
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

describe('doc tables', () => {
  // Each env file opens with a table of its numbers: every exported constant and the time limit must appear in it.
  const modules = [
    { file: 'pendulum.ts', constants: pendulum, spec: pendulum.pendulumSpec },
    { file: 'mountain-car-continuous.ts', constants: mountainCar, spec: mountainCar.mountainCarContinuousSpec },
    { file: 'cartpole.ts', constants: cartPole, spec: cartPole.cartPoleSpec },
  ];
  it.each(modules)('$file documents the constants its code uses', ({ file, constants, spec }) => {
    const source = fs.readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
    const table = source.slice(0, source.indexOf('*/'));
    expect(table).toContain(`time limit ${spec.maxEpisodeSteps} steps`);
    for (const [name, value] of Object.entries(constants)) {
      if (typeof value !== 'number') continue;
      // The number must stand alone (so 1 is not found inside 0.1 or 10).
      const pattern = new RegExp(`(?<![\\d.])${String(value).replace('.', '\\.')}(?![\\d.]*\\d)`);
      expect(pattern.test(table), `${name} = ${value} is not in the table of ${file}`).toBe(true);
    }
  });
});
