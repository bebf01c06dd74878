/** The Lab and a run's video schedule: followed while the run trains here, kept with the run. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import type { RecordRequest } from '../config/record-request.ts';
import { Lab } from './lab.ts';
import { fakeLauncher } from './fake-trainer.test-support.ts';
import type { RecorderProcess } from './video-jobs.ts';
import { videoScheduleSchema } from '../config/video-schedule.ts';

const tempDir = useTempDir();

function setup() {
  const trainers = fakeLauncher();
  const recordings: { request: RecordRequest; exit: () => void }[] = [];
  const recorderLauncher = (_runDir: string, request: RecordRequest): RecorderProcess => {
    let onExit = () => {};
    recordings.push({ request, exit: () => onExit() });
    return { onMessage: () => {}, onExit: (listener) => (onExit = () => listener({ code: 1, signal: null, stderrTail: '' })), kill: () => onExit() };
  };
  const runsDir = path.join(tempDir(), 'runs');
  const lab = new Lab({ runsDir, launcher: trainers.launcher, recorderLauncher });
  return { lab, runsDir, trainers, recordings, recorderLauncher };
}

describe('Lab: videos while training', () => {
  it('follows the schedule set on a live run, and hands it to the trainer to keep in run.json', () => {
    const { lab, trainers, recordings } = setup();
    const run = lab.createRun({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 8192, hparams: {} });
    const handle = lab.store.openRun(run.id);
    lab.setVideoSchedule(run.id, { kind: 'updates', every: 2, settings: { width: 640, height: 360, camera: 'side' } });
    const schedule = videoScheduleSchema.parse({ kind: 'updates', every: 2, settings: { width: 640, height: 360, camera: 'side' } });
    const trainer = trainers.started[0];
    expect(trainer.commands).toEqual([{ type: 'set-video-schedule', schedule }]);
    expect(lab.getRun(run.id).videoSchedule).toEqual(schedule);

    for (const update of [1, 2, 3, 4]) {
      handle.writeCheckpoint(update * 1024, { state: {}, arrays: {} });
      trainer.emit({ type: 'checkpoint', step: update * 1024, update });
    }
    // Due at updates 2 and 4; the second waits for the first.
    expect(recordings.map((r) => r.request.checkpoint)).toEqual([2048]);
    expect(recordings[0].request).toMatchObject({ width: 640, height: 360, camera: 'side', episodes: 1, montage: false });
    recordings[0].exit();
    expect(recordings.map((r) => r.request.checkpoint)).toEqual([2048, 4096]);

    lab.command(run.id, { type: 'set-video-schedule', schedule: null });
    expect(trainer.commands.at(-1)).toEqual({ type: 'set-video-schedule', schedule: null });
    recordings[1].exit();
    handle.writeCheckpoint(6144, { state: {}, arrays: {} });
    trainer.emit({ type: 'checkpoint', step: 6144, update: 6 });
    expect(recordings).toHaveLength(2);
    expect(lab.getRun(run.id).videoSchedule).toBeNull();
  });

  it('keeps the schedule of a run that is not training in its run.json, for a Lab opened later and for its forks', () => {
    const { lab, runsDir, trainers, recordings, recorderLauncher } = setup();
    const run = lab.createRun({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 8192, hparams: {} });
    const handle = lab.store.openRun(run.id);
    handle.appendMetrics({ update: 2, step: 2048 });
    handle.writeCheckpoint(2048, { state: { hparams: run.config.hparams, counters: { update: 2, step: 2048 } }, arrays: {} });
    trainers.started[0].emit({ type: 'status', status: 'stopped', step: 2048 });
    trainers.started[0].exit();

    lab.setVideoSchedule(run.id, { kind: 'capped-cubic' });
    const schedule = videoScheduleSchema.parse({ kind: 'capped-cubic' });
    expect(lab.store.openRun(run.id).info.videoSchedule).toEqual(schedule);
    const reopened = new Lab({ runsDir, launcher: trainers.launcher, recorderLauncher });
    expect(reopened.getRun(run.id).videoSchedule).toEqual(schedule);

    const fork = reopened.forkRun(run.id, { step: 2048, hparams: {} });
    expect(reopened.getRun(fork.id).videoSchedule).toEqual(schedule);
    const forkHandle = reopened.store.openRun(fork.id);
    const frame = [0, 0, 0, 0, 0, 0, 1];
    const scene = { id: 'Pendulum-v1', up: 'z' as const, bodies: [{ name: 'pole', parent: -1, geoms: [] }] };
    const name = forkHandle.writeTrajectory({
      envId: 'Pendulum-v1',
      dtSeconds: 0.05,
      numBodies: 1,
      frames: [...frame, ...frame],
      rewards: [0, 0],
      update: 3,
      step: 3072,
      episodeReturn: 0,
      deterministic: false,
      scene,
      checkpoint: null,
      seed: null,
      episode: 0,
      createdAt: new Date().toISOString(),
    });
    trainers.started.at(-1)!.emit({ type: 'checkpoint', step: 3072, update: 3 });
    expect(recordings.map((r) => r.request.trajectory)).toEqual([name]);
  });

  it('starts no queued video once it is closing', async () => {
    const { lab, trainers, recordings } = setup();
    const run = lab.createRun({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 8192, hparams: {} });
    lab.setVideoSchedule(run.id, { kind: 'updates', every: 1 });
    for (const update of [1, 2]) {
      lab.store.openRun(run.id).writeCheckpoint(update * 1024, { state: {}, arrays: {} });
      trainers.started[0].emit({ type: 'checkpoint', step: update * 1024, update });
    }
    const closing = lab.close();
    trainers.started[0].exit();
    await closing;
    expect(recordings.map((r) => r.request.checkpoint)).toEqual([1024]);
  });

  it('refuses a schedule that is not one', () => {
    const { lab } = setup();
    const run = lab.createRun({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 8192, hparams: {} });
    expect(() => lab.setVideoSchedule(run.id, { kind: 'updates', every: 0 })).toThrow(/every/);
    expect(lab.getRun(run.id).videoSchedule).toBeNull();
  });
});
