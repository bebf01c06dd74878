import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../store/test-temp-dir.ts';
import type { RecordRequest } from '../video/record-request.ts';
import { Lab } from './lab.ts';
import { fakeLauncher } from './test-fake-trainer.ts';
import type { RecorderProcess } from './video-jobs.ts';

const tempDir = useTempDir();

describe('Lab: videos while training', () => {
  it('records every Nth checkpoint with the settings given, skipping those that come while one records', () => {
    const trainers = fakeLauncher();
    const recordings: { request: RecordRequest; exit: () => void }[] = [];
    const recorderLauncher = (_runDir: string, request: RecordRequest): RecorderProcess => {
      let onExit = () => {};
      recordings.push({ request, exit: () => onExit() });
      return { onMessage: () => {}, onExit: (listener) => (onExit = () => listener({ code: 1, signal: null, stderrTail: '' })), kill: () => {} };
    };
    const lab = new Lab({ runsDir: path.join(tempDir(), 'runs'), launcher: trainers.launcher, recorderLauncher });
    const run = lab.createRun({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 8192, hparams: {} });
    lab.setVideoSchedule(run.id, { everyCheckpoints: 2, settings: { width: 640, height: 360, camera: 'side' } });
    expect(lab.getRun(run.id).videoSchedule).toMatchObject({ everyCheckpoints: 2, settings: { width: 640, camera: 'side', container: 'mp4' } });

    const trainer = trainers.started[0];
    trainer.emit({ type: 'checkpoint', step: 1024 }); // due: recorded
    trainer.emit({ type: 'checkpoint', step: 2048 });
    trainer.emit({ type: 'checkpoint', step: 3072 }); // due, but the first is still recording: skipped
    recordings[0].exit();
    trainer.emit({ type: 'checkpoint', step: 4096 });
    trainer.emit({ type: 'checkpoint', step: 5120 }); // due
    expect(recordings.map((r) => r.request.checkpoint)).toEqual([1024, 5120]);
    expect(recordings[0].request).toMatchObject({ width: 640, height: 360, camera: 'side', episodes: 1, montage: false });

    lab.setVideoSchedule(run.id, null);
    recordings[1].exit();
    trainer.emit({ type: 'checkpoint', step: 6144 });
    expect(recordings).toHaveLength(2);
    expect(lab.getRun(run.id).videoSchedule).toBeNull();
  });
});
