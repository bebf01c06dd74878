/** The off-policy loop end to end through the Trainer: run store, metrics, exact resume, live changes, evaluation. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunStore } from '../store/run-store.ts';
import { buildRunConfig } from '../config/build-run-config.ts';
import { Trainer } from './trainer.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function store(): RunStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-off-policy-'));
  dirs.push(dir);
  return new RunStore(dir);
}

// On top of the Pendulum presets: tiny nets and a 250-transition buffer, so 600 steps wrap the ring; a row every 100 steps.
const small = { learning_starts: 150, batch_size: 32, policy_arch: '16,16', q_arch: '16,16', buffer_size: 250, log_every: 100 };

function config(algo: string, totalSteps: number, extra: Record<string, number | boolean | string> = {}) {
  return buildRunConfig({ env: 'Pendulum-v1', algo, seed: 5, totalSteps, hparams: { ...small, ...extra }, checkpointEveryUpdates: 2 });
}

const versions = { gaitlab: 'test', node: process.version };
const comparable = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('time_') && k !== 'wall_s' && k !== 'sps')));

describe('the off-policy loop in the Trainer', () => {
  it.each(['sac', 'td3', 'ddpg'])('resumes %s bit for bit: networks, targets, optimizers, replay buffer, generator', async (algo) => {
    const s = store();
    const straight = s.createRun(config(algo, 600), { versions });
    const a = await Trainer.open(straight);
    await a.train();
    const final = a.loop.saveState();
    a.dispose();

    const interrupted = s.createRun(config(algo, 600), { versions });
    let rows = 0;
    const stopped = await Trainer.open(interrupted, (m) => {
      if (m.type === 'metrics' && ++rows === 3) stopped.command({ type: 'stop' });
    });
    expect(await stopped.train()).toBe('stopped');
    stopped.dispose();
    expect(interrupted.listCheckpoints()).toEqual([200, 300]);

    const resumed = await Trainer.open(s.openRun(interrupted.info.id));
    expect(resumed.counters.step).toBe(300);
    expect(await resumed.train()).toBe('finished');
    expect(resumed.loop.saveState()).toEqual(final);
    expect(comparable(s.openRun(interrupted.info.id).readMetrics())).toEqual(comparable(s.openRun(straight.info.id).readMetrics()));
    resumed.dispose();
  });

  it("logs CleanRL's metric names beside the common ones, losses only once training started", async () => {
    const s = store();
    const run = s.createRun(config('sac', 400), { versions });
    const trainer = await Trainer.open(run);
    await trainer.train();
    trainer.dispose();
    const rows = run.readMetrics();
    expect(rows.map((r) => r.step)).toEqual([100, 200, 300, 400]);
    expect(rows[0].qf_loss).toBeUndefined(); // learning_starts 150: no gradient step yet
    for (const key of [
      'qf1_values',
      'qf2_values',
      'qf1_loss',
      'qf2_loss',
      'qf_loss',
      'actor_loss',
      'alpha',
      'alpha_loss',
      'replay_size',
      'sps',
      'time_train_s',
    ]) {
      expect(rows[3][key], key).toBeTypeOf('number');
    }
    expect(rows[3].replay_size).toBe(250);
    expect(rows[3].return_mean).toBeTypeOf('number'); // two 200-step episodes
  });

  it('stores the replay buffer compactly: next observations only at episode ends and the ring seam', async () => {
    const s = store();
    const run = s.createRun(config('td3', 600), { versions });
    const trainer = await Trainer.open(run);
    await trainer.train();
    trainer.dispose();
    const { arrays } = run.loadCheckpoint(600);
    expect(arrays['replay/obs'].length).toBe(250 * 3);
    // Rows hold steps 351-600, the ring's seam after row 99. Kept: the episode ends at steps 400 (row 149) and 600 (row 99, also the seam).
    expect(Array.from(arrays['replay/next_obs_rows'])).toEqual([99, 149]);
  });

  it('applies live changes of learning rates and tau, refuses the buffer size, and evaluates deterministically', async () => {
    const s = store();
    const run = s.createRun(config('sac', 300, { policy_lr: 3e-4, tau: 0.005 }), { versions });
    let rows = 0;
    const trainer = await Trainer.open(run, (m) => {
      if (m.type === 'metrics' && ++rows === 1) trainer.command({ type: 'set-hparams', values: { policy_lr: 1e-3, tau: 0.01 } });
    });
    expect(() => trainer.command({ type: 'set-hparams', values: { buffer_size: 10 } })).toThrow(/cannot change buffer_size while training/);
    await trainer.train();
    expect(run.readEvents()[0]).toMatchObject({
      type: 'hparams',
      step: 100,
      values: { policy_lr: 1e-3, tau: 0.01 },
      previous: { policy_lr: 3e-4, tau: 0.005 },
    });
    const evaluation = trainer.evaluate(2, 123);
    expect(evaluation.lengths).toEqual([200, 200]);
    expect(trainer.evaluate(2, 123)).toEqual(evaluation);
    trainer.dispose();
  });

  it('explains that discrete actions do not fit', async () => {
    const s = store();
    const run = s.createRun(buildRunConfig({ env: 'CartPole-v1', algo: 'sac', seed: 1, totalSteps: 100 }), { versions });
    await expect(Trainer.open(run)).rejects.toThrow('sac needs a Box action space; CartPole-v1 has discrete actions');
  });
});
