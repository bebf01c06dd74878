/** The training loop end to end on real envs and real run folders. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunStore } from '../store/run-store.ts';
import { buildRunConfig } from '../config/build-run-config.ts';
import { videoScheduleSchema } from '../config/video-schedule.ts';
import { Trainer } from './trainer.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function store(): RunStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-trainer-'));
  dirs.push(dir);
  return new RunStore(dir);
}

// Small rollouts, and the settings these tests are about spelled out (the Pendulum preset differs).
const small = { num_steps: 128, num_minibatches: 4, update_epochs: 2, num_envs: 2, learning_rate: 3e-4, anneal_lr: true, norm_obs: true, norm_reward: true };

function config(env: string, totalSteps: number, extra: Record<string, number | boolean> = {}) {
  return buildRunConfig({ env, algo: 'ppo', seed: 5, totalSteps, hparams: { ...small, ...extra }, checkpointEveryUpdates: 2 });
}

const versions = { gaitlab: 'test', node: process.version };
const comparable = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('time_') && k !== 'wall_s' && k !== 'sps')));

describe('Trainer', () => {
  // Hopper: Rapier's world snapshot goes into the checkpoint, so robots resume exactly too.
  it.each(['Pendulum-v1', 'Hopper-v0'])('resumes %s from a checkpoint bit for bit', async (env) => {
    const s = store();
    const straight = s.createRun(config(env, 1024), { versions });
    const a = await Trainer.open(straight);
    await a.train();
    const finalParams = Float32Array.from(a.loop.saveState().arrays['params/actor']);
    a.dispose();

    const interrupted = s.createRun(config(env, 1024), { versions });
    // Stop after the second update (a checkpoint is written on stop).
    let updates = 0;
    const stopAfterTwo = await Trainer.open(interrupted, (m) => {
      if (m.type === 'metrics' && ++updates === 2) stopAfterTwo.command({ type: 'stop' });
    });
    expect(await stopAfterTwo.train()).toBe('stopped');
    stopAfterTwo.dispose();
    expect(interrupted.listCheckpoints()).toEqual([512]);

    const resumed = await Trainer.open(s.openRun(interrupted.info.id));
    expect(resumed.counters.step).toBe(512);
    expect(await resumed.train()).toBe('finished');
    expect(Array.from(resumed.loop.saveState().arrays['params/actor'])).toEqual(Array.from(finalParams));
    expect(comparable(s.openRun(interrupted.info.id).readMetrics())).toEqual(comparable(s.openRun(straight.info.id).readMetrics()));
    resumed.dispose();
  });

  it('applies live hyperparameter changes at the next update and logs them', async () => {
    const s = store();
    const run = s.createRun(config('Pendulum-v1', 1024, { anneal_lr: false }), { versions });
    let updates = 0;
    const trainer = await Trainer.open(run, (m) => {
      if (m.type === 'metrics' && ++updates === 1) trainer.command({ type: 'set-hparams', values: { learning_rate: 1e-3, clip_coef: 0.1 } });
    });
    await trainer.train();
    trainer.dispose();
    const rows = run.readMetrics();
    expect(rows[0].learning_rate).toBeCloseTo(3e-4);
    expect(rows[1].learning_rate).toBeCloseTo(1e-3);
    const events = run.readEvents();
    expect(events[0]).toMatchObject({
      type: 'hparams',
      step: 256,
      values: { learning_rate: 1e-3, clip_coef: 0.1 },
      previous: { learning_rate: 3e-4, clip_coef: 0.2 },
    });
  });

  it('refuses live changes to settings that cannot change mid-run, and bad values', async () => {
    const s = store();
    const trainer = await Trainer.open(s.createRun(config('Pendulum-v1', 512), { versions }));
    expect(() => trainer.command({ type: 'set-hparams', values: { num_envs: 4 } })).toThrow(/cannot change num_envs while training/);
    expect(() => trainer.command({ type: 'set-hparams', values: { learning_rate: -1 } })).toThrow(/learning_rate/);
    trainer.dispose();
  });

  it('keeps a video schedule sent while it trains in run.json, and reports each checkpoint with its update', async () => {
    const s = store();
    const run = s.createRun(config('Pendulum-v1', 1024), { versions });
    const checkpoints: unknown[] = [];
    const schedule = videoScheduleSchema.parse({ kind: 'updates', every: 3 });
    const trainer = await Trainer.open(run, (m) => {
      if (m.type === 'checkpoint') checkpoints.push(m);
      if (m.type === 'metrics' && m.row.update === 1) trainer.command({ type: 'set-video-schedule', schedule });
    });
    await trainer.train();
    trainer.dispose();
    expect(checkpoints).toEqual([
      { type: 'checkpoint', step: 512, update: 2 },
      { type: 'checkpoint', step: 1024, update: 4 },
    ]);
    expect(s.openRun(run.info.id).info).toMatchObject({ status: 'finished', videoSchedule: schedule });
    trainer.command({ type: 'set-video-schedule', schedule: null });
    expect(s.openRun(run.info.id).info.videoSchedule).toBeUndefined();
  });

  it('trains the same with its episodes recorded for videos as without', async () => {
    const s = store();
    const trained = [];
    for (const recordEpisodes of [false, true]) {
      const run = s.createRun(config('Pendulum-v1', 1024), { versions });
      const trainer = await Trainer.open(run, () => {}, { recordEpisodes });
      await trainer.train();
      trainer.dispose();
      trained.push(run);
    }
    const [plain, recorded] = trained;
    expect(recorded.listTrajectories().length).toBeGreaterThan(0);
    expect(plain.listTrajectories()).toEqual([]);
    expect(comparable(recorded.readMetrics())).toEqual(comparable(plain.readMetrics()));
    expect(recorded.listCheckpoints()).toEqual(plain.listCheckpoints());
    const [a, b] = trained.map((run) => run.loadCheckpoint().arrays);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const name of Object.keys(a)) expect(Array.from(b[name]), name).toEqual(Array.from(a[name]));
  });

  it('trains a discrete-action task', async () => {
    const s = store();
    const run = s.createRun(config('CartPole-v1', 512), { versions });
    const trainer = await Trainer.open(run);
    expect(await trainer.train()).toBe('finished');
    trainer.dispose();
    expect(run.readMetrics().at(-1)?.step).toBe(512);
  });
});

describe('Trainer for the viewer', () => {
  it('sends env 0 episodes and a deterministic evaluation episode on request', async () => {
    const s = store();
    const run = s.createRun(config('Pendulum-v1', 1024), { versions });
    const trajectories: { frames: number[]; rewards: number[]; numBodies: number; deterministic: boolean; episodeReturn: number }[] = [];
    let updates = 0;
    const trainer = await Trainer.open(
      run,
      (m) => {
        if (m.type === 'trajectory') trajectories.push(m.trajectory);
        if (m.type === 'metrics' && ++updates === 1) trainer.command({ type: 'evaluate' });
      },
      { recordEpisodes: true },
    );
    await trainer.train();
    trainer.dispose();
    const training = trajectories.find((t) => !t.deterministic);
    const evaluation = trajectories.find((t) => t.deterministic);
    for (const t of [training, evaluation]) {
      expect(t).toBeDefined();
      expect(t!.rewards).toHaveLength(200);
      expect(t!.frames).toHaveLength(200 * t!.numBodies * 7);
      expect(t!.episodeReturn).toBeCloseTo(
        t!.rewards.reduce((a, b) => a + b, 0),
        6,
      );
      // Raw Pendulum rewards lie in [-16.27, 0], not in normalized units.
      expect(Math.min(...t!.rewards)).toBeGreaterThanOrEqual(-16.3);
    }
    expect(run.readEvents().some((e) => e.type === 'evaluation')).toBe(true);
  });
});

describe('Trainer on a tfjs backend', () => {
  it('leaks no tensors across updates', async () => {
    const tf = await import('@tensorflow/tfjs-core');
    const s = store();
    const run = s.createRun({ ...config('Pendulum-v1', 1024), backend: 'wasm' }, { versions });
    const counts: number[] = [];
    const trainer = await Trainer.open(run, (m) => {
      if (m.type === 'metrics') counts.push(tf.memory().numTensors);
    });
    expect(trainer.backendName).toBe('wasm');
    await trainer.train();
    trainer.dispose();
    expect(counts).toHaveLength(4);
    expect(new Set(counts).size).toBe(1);
  });
});
