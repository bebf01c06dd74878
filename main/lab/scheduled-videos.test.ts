import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '../config/run-config.ts';
import { RunStore, type RunHandle, type SavedTrajectory } from '../store/run-store.ts';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import type { RecordRequest } from '../config/record-request.ts';
import { ScheduledVideos } from './scheduled-videos.ts';
import { VideoJobs } from './video-jobs.ts';
import { videoScheduleSchema } from '../config/video-schedule.ts';

const tempDir = useTempDir();

/** Recordings the test ends by hand; each "writes" its video when it ends. */
function setup() {
  const run = new RunStore(path.join(tempDir(), 'runs')).createRun(
    runConfigSchema.parse({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 8192, hparams: {} }),
    {
      versions: { gaitlab: 'test', node: process.version },
    },
  );
  const recordings: { request: RecordRequest; end: () => void }[] = [];
  const warnings: string[] = [];
  const jobs = new VideoJobs(
    (_runDir, request) => {
      let exit = () => {};
      let message = (_message: unknown) => {};
      recordings.push({
        request,
        end: () => {
          const name = `${request.trajectory ?? `eval-step${request.checkpoint}-seed${request.seed}`}.mp4`;
          fs.writeFileSync(path.join(run.videosDir, name), 'video');
          message({ type: 'done', video: { file: name, frames: 1 } });
          exit();
        },
      });
      return {
        onMessage: (listener) => (message = listener),
        onExit: (listener) => (exit = () => listener({ code: 0, signal: null, stderrTail: '' })),
        kill: () => {},
      };
    },
    () => {},
    () => scheduled.pump(),
  );
  const scheduled = new ScheduledVideos(jobs, (message) => warnings.push(message));
  return { run, recordings, warnings, scheduled };
}

function checkpoint(run: RunHandle, scheduled: ScheduledVideos, step: number, update: number): void {
  run.writeCheckpoint(step, { state: {}, arrays: {} });
  scheduled.checkpoint(run.info.id, step, update);
}

function storeEpisode(run: RunHandle, step: number, episode: number | null): string {
  const scene = { id: 'Pendulum-v1', up: 'z', bodies: [{ name: 'pole', parent: -1, geoms: [] }] } as unknown as SavedTrajectory['scene'];
  const frame = [0, 0, 0, 0, 0, 0, 1];
  return run.writeTrajectory({
    envId: 'Pendulum-v1',
    dtSeconds: 0.05,
    numBodies: 1,
    frames: [...frame, ...frame],
    rewards: [0, 0],
    update: 1,
    step,
    episodeReturn: 0,
    deterministic: episode === null,
    scene,
    checkpoint: null,
    seed: episode === null ? 7 : null,
    episode,
    createdAt: new Date().toISOString(),
  });
}

describe('ScheduledVideos', () => {
  it('every N updates: records the due checkpoints one at a time, queued while one records', () => {
    const { run, recordings, scheduled } = setup();
    scheduled.set(run, videoScheduleSchema.parse({ kind: 'updates', every: 4, settings: { width: 640, height: 360, camera: 'side' } }), 0);
    checkpoint(run, scheduled, 1024, 2);
    checkpoint(run, scheduled, 2048, 4); // due
    checkpoint(run, scheduled, 3072, 6);
    checkpoint(run, scheduled, 4096, 8); // due, waits for the first
    expect(recordings.map((r) => r.request.checkpoint)).toEqual([2048]);
    expect(recordings[0].request).toMatchObject({ width: 640, height: 360, camera: 'side', episodes: 1, montage: false });
    expect(scheduled.queued).toBe(1);
    recordings[0].end();
    expect(recordings.map((r) => r.request.checkpoint)).toEqual([2048, 4096]);
    expect(scheduled.queued).toBe(0);
  });

  it('skips, with a warning, a queued checkpoint that retention deleted before its turn', () => {
    const { run, recordings, warnings, scheduled } = setup();
    scheduled.set(run, videoScheduleSchema.parse({ kind: 'updates', every: 1 }), 0);
    for (let update = 1; update <= 10; update++) checkpoint(run, scheduled, update * 1000, update);
    // The latest five, and the milestones 1000, 2000, 3000, 5000 and 9000.
    expect(run.listCheckpoints()).toEqual([1000, 2000, 3000, 5000, 6000, 7000, 8000, 9000, 10_000]);
    for (let i = 0; i < 3; i++) recordings[i].end();
    expect(recordings.map((r) => r.request.checkpoint)).toEqual([1000, 2000, 3000, 5000]);
    expect(warnings).toEqual([expect.stringMatching(/^no scheduled video of checkpoint 4000 of run .*: the checkpoint was deleted/)]);
  });

  it('capped-cubic: a video of each stored training episode once, the last ones when training ends', () => {
    const { run, recordings, scheduled } = setup();
    const [first, second] = [storeEpisode(run, 200, 0), storeEpisode(run, 400, 1)];
    storeEpisode(run, 400, null); // an evaluation: not on the schedule
    scheduled.set(run, videoScheduleSchema.parse({ kind: 'capped-cubic' }), 0);
    checkpoint(run, scheduled, 1024, 2);
    const third = storeEpisode(run, 1600, 8);
    checkpoint(run, scheduled, 2048, 4);
    recordings[0].end();
    recordings[1].end();
    const fourth = storeEpisode(run, 2100, 27);
    scheduled.ended(run.info.id);
    recordings[2].end();
    recordings[3].end();
    expect(recordings.map((r) => r.request.trajectory)).toEqual([first, second, third, fourth]);
    expect(scheduled.get(run.info.id)).toBeNull();
  });

  it('stops with null, dropping what the run had queued', () => {
    const { run, recordings, scheduled } = setup();
    scheduled.set(run, videoScheduleSchema.parse({ kind: 'updates', every: 1 }), 0);
    checkpoint(run, scheduled, 1000, 1);
    checkpoint(run, scheduled, 2000, 2);
    scheduled.set(run, null, 2);
    recordings[0].end();
    checkpoint(run, scheduled, 3000, 3);
    expect(recordings).toHaveLength(1);
    expect(scheduled.queued).toBe(0);
  });
});
