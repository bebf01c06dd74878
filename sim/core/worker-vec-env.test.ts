import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initPhysics, makeEnv, registerEnv, Rng, SyncVecEnv, type VecEnv, type VecStepResult } from '../index.ts';
import { WorkerVecEnv } from './worker-vec-env.ts';

/** A step's results as plain data: the envs reuse their buffers from step to step. */
function copyStep(r: VecStepResult) {
  return {
    obs: Array.from(r.obs),
    rewards: Array.from(r.rewards),
    terminated: Array.from(r.terminated),
    truncated: Array.from(r.truncated),
    finalObs: r.finalObs.map((o) => (o ? Array.from(o) : null)),
    episodes: structuredClone(r.episodes),
  };
}

/** Steps both with the same uniform random actions; expects identical results, frames included. Returns the episodes seen. */
function expectSameTrajectories(a: VecEnv, b: VecEnv, steps: number, seed: number): number {
  const space = a.spec.actionSpace;
  if (space.kind !== 'box') throw new Error('box actions only');
  const rng = Rng.fromSeed(seed);
  const actions = new Float64Array(a.numEnvs * a.actionSize);
  let episodes = 0;
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < actions.length; i++) actions[i] = rng.uniformRange(space.low[i % space.size], space.high[i % space.size]);
    const ra = copyStep(a.step(actions));
    expect(ra).toEqual(copyStep(b.step(actions)));
    episodes += ra.episodes.length;
  }
  for (let i = 0; i < a.numEnvs; i++) expect(Array.from(a.frame(i))).toEqual(Array.from(b.frame(i)));
  return episodes;
}

const opened: VecEnv[] = [];
function open<T extends VecEnv>(env: T): T {
  opened.push(env);
  return env;
}

beforeAll(() => initPhysics());
afterEach(() => {
  for (const env of opened.splice(0)) env.close();
});

describe('WorkerVecEnv', () => {
  it('steps Pendulum-v1 bit for bit like SyncVecEnv: auto-reset, final observations, episode records', () => {
    const make = { maxEpisodeSteps: 60 };
    const workers = open(new WorkerVecEnv({ envId: 'Pendulum-v1', numEnvs: 5, workers: 2, make }));
    const sync = open(new SyncVecEnv(5, () => makeEnv('Pendulum-v1', make)));
    expect(workers.spec).toEqual(sync.spec);
    expect(workers.scene).toEqual(sync.scene);
    expect(Array.from(workers.reset(11))).toEqual(Array.from(sync.reset(11)));
    expect(expectSameTrajectories(workers, sync, 150, 1)).toBe(10); // two truncations per env
    expect(workers.saveState()).toEqual(sync.saveState());
    // Reset without a seed continues each env's generator.
    expect(Array.from(workers.reset())).toEqual(Array.from(sync.reset()));
  });

  it('steps Hopper-v0 bit for bit like SyncVecEnv, and checkpoints move between the two', () => {
    const make = { maxEpisodeSteps: 40 };
    const workers = open(new WorkerVecEnv({ envId: 'Hopper-v0', numEnvs: 3, workers: 2, make }));
    const sync = open(new SyncVecEnv(3, () => makeEnv('Hopper-v0', make)));
    expect(Array.from(workers.reset(5))).toEqual(Array.from(sync.reset(5)));
    expect(expectSameTrajectories(workers, sync, 90, 2)).toBeGreaterThanOrEqual(6);

    // Mid-episode: a worker snapshot is a SyncVecEnv snapshot, and either loads the other's.
    const checkpoint = workers.saveState();
    expect(checkpoint).toEqual(sync.saveState());
    expectSameTrajectories(workers, sync, 30, 3);
    const other = open(new SyncVecEnv(3, () => makeEnv('Hopper-v0', make)));
    other.loadState(checkpoint);
    workers.loadState(checkpoint);
    expect(Array.from(workers.reset(9))).toEqual(Array.from(sync.reset(9)));
    workers.loadState(checkpoint);
    expectSameTrajectories(workers, other, 30, 3);
  });

  it('copies envs within a slice and across slices as SyncVecEnv does', () => {
    const make = { maxEpisodeSteps: 20 };
    const workers = open(new WorkerVecEnv({ envId: 'Pendulum-v1', numEnvs: 5, workers: 3, make }));
    const sync = open(new SyncVecEnv(5, () => makeEnv('Pendulum-v1', make)));
    const obs = [workers.reset(3), sync.reset(3)];
    expectSameTrajectories(workers, sync, 7, 4);
    // Slices: envs 0 (calling thread), 1-2 (worker 1), 3-4 (worker 2). Within a worker's slice and
    // the caller's, from the caller to a worker, between workers, and back to the caller.
    for (const [from, to] of [
      [1, 2],
      [0, 1],
      [2, 4],
      [3, 0],
      [0, 0],
    ]) {
      workers.copyEnv(from, to);
      sync.copyEnv(from, to);
      expect(Array.from(obs[0])).toEqual(Array.from(obs[1]));
      expect(workers.saveState()).toEqual(sync.saveState());
    }
    expectSameTrajectories(workers, sync, 20, 5);
    expect(() => workers.copyEnv(0, 5)).toThrow('env index 5 outside 0..4');
  });

  it('ignores a wake-up without a command (the late notify of a command the worker already did)', () => {
    const workers = open(new WorkerVecEnv({ envId: 'Pendulum-v1', numEnvs: 2, workers: 2 }));
    const sync = open(new SyncVecEnv(2, () => makeEnv('Pendulum-v1')));
    expect(Array.from(workers.reset(4))).toEqual(Array.from(sync.reset(4)));
    // What the race leaves: the worker waiting, no command stored, and a notify on the command word.
    const { control } = (workers as unknown as { workers: { control: Int32Array }[] }).workers[0]; // the one worker thread
    const replyBefore = Atomics.load(control, 1);
    for (let i = 0; i < 3; i++) Atomics.notify(control, 0);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); // time for the worker to answer, if it did
    expect(Atomics.load(control, 1), 'the worker replied to no command').toBe(replyBefore);
    expectSameTrajectories(workers, sync, 20, 6);
  });

  it('reports an env error inside a worker as an Error naming the worker, without hanging; is unusable once closed', { timeout: 10_000 }, () => {
    const env = new WorkerVecEnv({ envId: 'CartPole-v1', numEnvs: 4, workers: 2 });
    expect(() => env.step(Float64Array.of(0, 1, 0, 1))).toThrow(/envs 0-1 of CartPole-v1 \(calling thread\): CartPole-v1: call reset\(\) before step\(\)/);
    env.reset(1);
    expect(() => env.step(Float64Array.of(0, 1, 0.5, 1))).toThrow(/envs 2-3 of CartPole-v1 \(worker 1\): CartPole-v1: action must be 0 or 1, got 0.5/);
    env.reset(1); // the workers still answer
    expect(env.step(Float64Array.of(0, 1, 0, 1)).rewards).toEqual(Float64Array.of(1, 1, 1, 1));
    env.close();
    env.close();
    expect(() => env.reset(0)).toThrow('the CartPole-v1 worker vector env is closed');
  });

  it('reports a worker that cannot start, and bad arguments', { timeout: 10_000 }, () => {
    expect(() => new WorkerVecEnv({ envId: 'Pendulum-v9', numEnvs: 2, workers: 1 })).toThrow(
      /envs 0-1 of Pendulum-v9 \(calling thread\): unknown environment "Pendulum-v9"/,
    );
    // Registered in this thread only: the calling thread's slice builds, the worker's cannot.
    registerEnv({ ...makeEnv('Pendulum-v1').spec, id: 'ThisThreadOnly-v0' }, () => makeEnv('Pendulum-v1'));
    expect(() => new WorkerVecEnv({ envId: 'ThisThreadOnly-v0', numEnvs: 3, workers: 2 })).toThrow(
      /envs 1-2 of ThisThreadOnly-v0 \(worker 1\): unknown environment "ThisThreadOnly-v0"/,
    );
    expect(() => new WorkerVecEnv({ envId: 'Pendulum-v1', numEnvs: 2, workers: 3 })).toThrow('workers must be an integer from 1 to numEnvs (2), got 3');
  });

  it('runs under bin/run-ts.js (as tests and benches run the engine from source) and never keeps the process alive', { timeout: 20_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-workers-'));
    const script = path.join(dir, 'unclosed.mts');
    const moduleUrl = new URL('./worker-vec-env.ts', import.meta.url).href;
    // No close(): the process must still end when its work is done.
    fs.writeFileSync(
      script,
      `import { initPhysics } from ${JSON.stringify(new URL('../index.ts', import.meta.url).href)};\nimport { WorkerVecEnv } from ${JSON.stringify(moduleUrl)};\nawait initPhysics();\nconst env = new WorkerVecEnv({ envId: 'Hopper-v0', numEnvs: 2, workers: 2 });\nenv.reset(0);\nconsole.log(env.step(new Float64Array(6)).rewards.length);\n`,
    );
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [path.resolve('bin/run-ts.js'), script], { encoding: 'utf8', timeout: 15_000 });
      expect(stdout.trim()).toBe('2');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
