/**
 * `gaitlab train` with a video schedule, as a user runs it: the videos land in the run, and the
 * run's training data (metrics, checkpoints, stored episodes) is what it would be without them.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineEntry, nodeArgs } from '../../sim/core/engine-entry.ts';
import { RunStore, type RunHandle } from '../store/run-store.ts';
import { demux } from '../video/video-probe.test-support.ts';

const CLI = engineEntry('main/cli/cli.ts');
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the tests of videos recorded while training: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

// 4 updates of 256 steps in one env (Pendulum episodes are 200 steps), a checkpoint every 2.
const TRAIN = [
  'train',
  '--env',
  'Pendulum-v1',
  '--steps',
  '1024',
  '--envs',
  '1',
  '--set',
  'num_steps=256',
  '--set',
  'update_epochs=2',
  '--checkpoint-every',
  '2',
  '--seed',
  '4',
  '--json',
];

let root = '';
let store: RunStore;
let plain: RunHandle;

function gaitlab(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, nodeArgs(CLI, [...args, '--runs', path.join(root, 'runs')]), { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function train(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ run: RunHandle; summary: Record<string, unknown>; stderr: string }> {
  const result = await gaitlab([...TRAIN, ...args], env);
  expect(result.code, result.stderr).toBe(0);
  const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
  return { run: store.openRun(summary.run), summary, stderr: result.stderr };
}

/** Metrics without their timings. */
function metrics(run: RunHandle): Record<string, unknown>[] {
  return run
    .readMetrics()
    .map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('time_') && key !== 'wall_s' && key !== 'sps')));
}

/** Each checkpoint's arrays and state, but for the wall time in its counters. */
function checkpoints(run: RunHandle): unknown[] {
  return run.listCheckpoints().map((step) => {
    const { state, arrays } = run.loadCheckpoint(step);
    const { counters, ...rest } = state as { counters: Record<string, number> };
    const { wallSeconds: _wallSeconds, ...steps } = counters;
    return { step, counters: steps, ...rest, arrays: Object.fromEntries(Object.entries(arrays).map(([name, array]) => [name, Array.from(array)])) };
  });
}

function expectSameTraining(run: RunHandle): void {
  expect(metrics(run)).toEqual(metrics(plain));
  expect(checkpoints(run)).toEqual(checkpoints(plain));
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-train-videos-'));
  store = new RunStore(path.join(root, 'runs'));
  plain = (await train([])).run;
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('gaitlab train with a video schedule', () => {
  it('without a browser: trains all the same, keeps the schedule with the run, and warns once', async () => {
    const { run, summary, stderr } = await train(['--video-every', '2'], { CHROMIUM_PATH: path.join(root, 'no-chromium') });
    expect(stderr.match(/warning/g)).toHaveLength(1);
    expect(stderr).toMatch(
      /gaitlab: warning: the run asks for a video every 2 updates, but none will be recorded \(training goes on\): CHROMIUM_PATH is .*no-chromium, but there is no file there/,
    );
    expect(summary).toMatchObject({ status: 'finished', step: 1024 });
    expect(run.info.videoSchedule).toMatchObject({ kind: 'updates', every: 2, settings: { width: 1280, height: 720 } });
    expect(fs.readdirSync(run.videosDir)).toEqual([]);
    expectSameTraining(run);
  });

  it.skipIf(!hasChromium)(
    'every N updates: evaluation videos of the checkpoints due, training as without them',
    async () => {
      const { run, summary } = await train(['--video-every', '4', '--video-size', '160x120']);
      expect(summary.videos).toEqual(['eval-step1024-seed10000.mp4']);
      expect(fs.readdirSync(run.videosDir)).toEqual(['eval-step1024-seed10000.mp4']);
      const video = await demux(path.join(run.videosDir, 'eval-step1024-seed10000.mp4'));
      expect(video).toMatchObject({ codec: 'avc', width: 160, height: 120 });
      expect(video.packets).toHaveLength(200);
      expectSameTraining(run);
      expect(run.listTrajectories()).toEqual([]);
    },
    180_000,
  );

  it.skipIf(!hasChromium)(
    "capped-cubic: videos of the training episodes Gymnasium's schedule picks, training as without them",
    async () => {
      const { run, summary } = await train(['--video-schedule', 'capped-cubic', '--video-size', '160x120']);
      // Five episodes of env 0: 0 and 1 are on the schedule.
      const episodes = run.listTrajectories();
      expect(episodes.map((t) => t.episode)).toEqual([0, 1]);
      const names = episodes.map((t) => `${t.name}.mp4`);
      expect(summary.videos).toEqual(names);
      expect(fs.readdirSync(run.videosDir).sort()).toEqual([...names].sort());
      for (const name of names) expect((await demux(path.join(run.videosDir, name))).packets).toHaveLength(200);
      expectSameTraining(run);
    },
    180_000,
  );
});
