import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '../config/run-config.ts';
import { RunStore } from '../store/run-store.ts';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import { recordRequestSchema } from '../config/record-request.ts';
import type { TrainerExit } from './trainer-launcher.ts';
import type { VideoJob } from './api.ts';
import { VideoJobs, type RecorderProcess } from './video-jobs.ts';

const tempDir = useTempDir();

/** A recorder the test drives by hand. */
class FakeRecorder implements RecorderProcess {
  message: (message: unknown) => void = () => {};
  exit: (exit: TrainerExit) => void = () => {};
  onMessage(listener: (message: unknown) => void): void {
    this.message = listener;
  }
  onExit(listener: (exit: TrainerExit) => void): void {
    this.exit = listener;
  }
  kill(): void {}
}

function setup() {
  const run = new RunStore(path.join(tempDir(), 'runs')).createRun(
    runConfigSchema.parse({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 2048, hparams: {} }),
    {
      versions: { gaitlab: 'test', node: process.version },
    },
  );
  const recorders: FakeRecorder[] = [];
  const events: VideoJob[] = [];
  const jobs = new VideoJobs(
    () => {
      recorders.push(new FakeRecorder());
      return recorders.at(-1)!;
    },
    (job) => events.push(job),
  );
  return { run, recorders, events, jobs };
}

const request = recordRequestSchema.parse({});

describe('VideoJobs', () => {
  it('reports a recording from start to file, one at a time', () => {
    const { run, recorders, events, jobs } = setup();
    expect(jobs.start(run, request)).toMatchObject({ runId: run.info.id, status: 'running', done: 0 });
    expect(() => jobs.start(run, request)).toThrow(/being recorded; one at a time/);
    recorders[0].message({ type: 'progress', done: 40, total: 200 });
    recorders[0].message({ type: 'done', video: { file: path.join(run.videosDir, 'eval-step0-seed1.mp4'), frames: 200 } });
    recorders[0].exit({ code: 0, signal: null, stderrTail: '' });
    expect(events.map((e) => [e.status, e.done, e.total])).toEqual([
      ['running', 0, 0],
      ['running', 40, 200],
      ['done', 200, 200],
    ]);
    expect(events.at(-1)!.file).toBe('eval-step0-seed1.mp4');
    expect(jobs.start(run, request).status).toBe('running');
  });

  it('says why a recorder failed, or that it died', () => {
    const { run, recorders, events, jobs } = setup();
    jobs.start(run, request);
    recorders[0].message({ type: 'failed', error: 'no browser to render the video in' });
    recorders[0].exit({ code: 1, signal: null, stderrTail: '' });
    jobs.start(run, request);
    recorders[1].exit({ code: null, signal: 'SIGKILL', stderrTail: 'out of memory\n' });
    expect(events.filter((e) => e.status === 'failed').map((e) => e.message)).toEqual([
      'no browser to render the video in',
      'the recorder was killed (SIGKILL): out of memory',
    ]);
  });

  it('cancels the recording under way: its process is stopped and its job ends cancelled', () => {
    const { run, recorders, events, jobs } = setup();
    expect(() => jobs.cancel(run.info.id)).toThrow(`no video of run ${run.info.id} is being recorded`);
    jobs.start(run, request);
    let killed = 0;
    recorders[0].kill = () => killed++;
    expect(() => jobs.cancel('another-run')).toThrow('no video of run another-run is being recorded');
    jobs.cancel(run.info.id);
    expect(killed).toBe(1);
    expect(jobs.busy).toBe(true); // until its process is gone
    recorders[0].exit({ code: null, signal: 'SIGTERM', stderrTail: '' });
    expect(events.at(-1)).toMatchObject({ status: 'cancelled', message: undefined });
    expect(jobs.busy).toBe(false);
  });

  it("lists the run's videos, never a recording's temp file", () => {
    const { run, jobs } = setup();
    fs.writeFileSync(path.join(run.videosDir, 'a.mp4'), 'xx');
    fs.writeFileSync(path.join(run.videosDir, '.tmp-b.webm-1234'), 'x');
    expect(jobs.list(run)).toEqual([{ name: 'a.mp4', bytes: 2, modifiedAt: expect.any(String) }]);
  });

  it('gives the path of a listed video only', () => {
    const { run, jobs } = setup();
    fs.writeFileSync(path.join(run.videosDir, 'a.mp4'), 'xx');
    fs.writeFileSync(path.join(run.videosDir, 'notes.txt'), 'x');
    expect(jobs.file(run, 'a.mp4')).toBe(path.join(run.videosDir, 'a.mp4'));
    for (const name of ['b.mp4', 'notes.txt', '../run.json', '.']) expect(() => jobs.file(run, name), name).toThrow(/has no video/);
  });
});
