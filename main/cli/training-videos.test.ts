import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '../config/run-config.ts';
import type { RecorderLauncher } from '../lab/video-jobs.ts';
import { videoScheduleSchema } from '../config/video-schedule.ts';
import { RunStore } from '../store/run-store.ts';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import type { RecordRequest } from '../config/record-request.ts';
import { scheduleToFollow, TrainingVideos } from './training-videos.ts';

const tempDir = useTempDir();
const schedule = videoScheduleSchema.parse({ kind: 'updates', every: 1 });

function createRun(videoSchedule?: typeof schedule) {
  return new RunStore(path.join(tempDir(), 'runs')).createRun(
    runConfigSchema.parse({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 4096, hparams: {} }),
    {
      versions: { gaitlab: 'test', node: process.version },
      videoSchedule,
    },
  );
}

/** Recorders the test ends by hand, each with the outcome it is given. */
function fakeRecorders() {
  const recordings: { request: RecordRequest; killed: boolean; end: (outcome: unknown) => void }[] = [];
  const launcher: RecorderLauncher = (_runDir, request) => {
    let message = (_message: unknown) => {};
    let exit = (_code: number) => {};
    const recording = {
      request,
      killed: false,
      end: (outcome: unknown) => {
        message(outcome);
        exit(0);
      },
    };
    recordings.push(recording);
    return {
      onMessage: (listener) => (message = listener),
      onExit: (listener) => (exit = (code) => listener({ code, signal: null, stderrTail: '' })),
      kill: () => {
        recording.killed = true;
        exit(143);
      },
    };
  };
  return { recordings, launcher };
}

describe('scheduleToFollow', () => {
  it("is the run's schedule where a browser can be found, else nothing, with one warning", () => {
    const warnings: string[] = [];
    const noBrowser = () => {
      throw new Error('no browser to render the video in: install Chromium');
    };
    expect(scheduleToFollow(createRun(), (line) => warnings.push(line), noBrowser)).toBeNull();
    expect(
      scheduleToFollow(
        createRun(schedule),
        (line) => warnings.push(line),
        () => ({}),
      ),
    ).toEqual(schedule);
    expect(warnings).toEqual([]);
    expect(scheduleToFollow(createRun(schedule), (line) => warnings.push(line), noBrowser)).toBeNull();
    expect(warnings).toEqual([
      'gaitlab: warning: the run asks for a video every update, but none will be recorded (training goes on): no browser to render the video in: install Chromium',
    ]);
  });
});

describe('TrainingVideos', () => {
  it('records while training and, after it, what is still due; then reports files and problems', async () => {
    const run = createRun(schedule);
    const { recordings, launcher } = fakeRecorders();
    const videos = new TrainingVideos(run, schedule, 0, launcher);
    for (const update of [1, 2, 3]) {
      run.writeCheckpoint(update * 1024, { state: {}, arrays: {} });
      videos.checkpoint(update * 1024, update);
    }
    expect(recordings.map((r) => r.request.checkpoint)).toEqual([1024]);
    recordings[0].end({ type: 'done', video: { file: path.join(run.videosDir, 'a.mp4'), frames: 200 } });
    const waitingFor: number[] = [];
    let finished = false;
    const finishing = videos.finish((count) => waitingFor.push(count)).then(() => (finished = true));
    expect(waitingFor).toEqual([2]);
    recordings[1].end({ type: 'failed', error: 'the page crashed' });
    await Promise.resolve();
    expect(finished).toBe(false);
    recordings[2].end({
      type: 'done',
      video: { file: path.join(run.videosDir, 'c.webm'), frames: 200, fallback: 'H.264 cannot be encoded here: VP9 in WebM instead' },
    });
    await finishing;
    expect(videos.written).toEqual(['a.mp4', 'c.webm']);
    expect(videos.problems).toEqual(['a scheduled video failed: the page crashed', 'c.webm: H.264 cannot be encoded here: VP9 in WebM instead']);
  });

  it('finishes at once when nothing is due, and stops recording when closed', async () => {
    const run = createRun(schedule);
    const { recordings, launcher } = fakeRecorders();
    const idle = new TrainingVideos(run, schedule, 0, launcher);
    await idle.finish(() => expect.unreachable());

    const videos = new TrainingVideos(run, schedule, 0, launcher);
    for (const update of [1, 2]) {
      run.writeCheckpoint(update * 1024, { state: {}, arrays: {} });
      videos.checkpoint(update * 1024, update);
    }
    const finishing = videos.finish(() => {});
    videos.close();
    await finishing;
    expect(recordings.map((r) => [r.request.checkpoint, r.killed])).toEqual([[1024, true]]);
    expect(fs.readdirSync(run.videosDir)).toEqual([]);
  });
});
