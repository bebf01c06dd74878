/** Episodes recorded while training and evaluating are stored in the run, and read back as sent. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrajectoryMessage } from '../store/trajectory-file.ts';
import { buildRunConfig } from '../config/build-run-config.ts';
import { RunStore } from '../store/run-store.ts';
import { cappedCubic } from './episode-recorder.ts';
import { Trainer } from './trainer.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('cappedCubic', () => {
  it("is Gymnasium's RecordVideo schedule", () => {
    const due = Array.from({ length: 3001 }, (_, i) => i).filter(cappedCubic);
    expect(due).toEqual([0, 1, 8, 27, 64, 125, 216, 343, 512, 729, 1000, 2000, 3000]);
  });
});

describe('recorded episodes on disk', () => {
  it('stores env 0 episodes on the schedule and every evaluation, with their scene', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-recorder-'));
    dirs.push(dir);
    const hparams = { num_steps: 256, num_minibatches: 4, update_epochs: 1, num_envs: 2 };
    const config = buildRunConfig({ env: 'Pendulum-v1', algo: 'ppo', seed: 5, totalSteps: 1024, hparams, checkpointEveryUpdates: 1 });
    const run = new RunStore(dir).createRun(config, { versions: { gaitlab: 'test', node: process.version } });
    const sent: TrajectoryMessage[] = [];
    let updates = 0;
    const trainer = await Trainer.open(
      run,
      (m) => {
        if (m.type === 'trajectory') sent.push(m.trajectory);
        // Update 1 is checkpointed before the evaluation: it names that checkpoint.
        if (m.type === 'metrics' && ++updates === 1) trainer.command({ type: 'evaluate' });
      },
      { recordEpisodes: true },
    );
    await trainer.train();
    trainer.dispose();

    // 512 steps of env 0 are two 200-step episodes: 0 and 1, both on the schedule.
    const stored = run.listTrajectories();
    expect(stored.map((t) => t.name)).toEqual(['train-step0000000400-ep0', 'eval-step0000000512-seed1', 'train-step0000000800-ep1']);
    const evaluation = run.readTrajectory('eval-step0000000512-seed1');
    expect(evaluation).toMatchObject({ envId: 'Pendulum-v1', deterministic: true, checkpoint: 512, seed: 1, step: 512, update: 1 });
    expect(evaluation.scene.bodies).toHaveLength(evaluation.numBodies);
    expect(evaluation.frames).toEqual(sent.find((t) => t.deterministic)!.frames);
    expect(evaluation.rewards).toHaveLength(200);
    expect(run.readTrajectory('train-step0000000400-ep0')).toMatchObject({ deterministic: false, checkpoint: null, seed: null, episode: 0 });
  });
});
