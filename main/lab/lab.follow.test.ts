/**
 * The Lab follows runs that another process trains in its runs folder: a page that opened such a
 * run gets its new rows, events and end as it gets those of the Lab's own trainers. The other
 * process is a real `gaitlab train`; the Lab's interval timers are counted (faked), not timed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliProcess, pause, QUICK_PPO } from '../cli/cli-process.test-support.ts';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import type { LabEvent, TrainerMessage } from './api.ts';
import { fakeLauncher } from './fake-trainer.test-support.ts';
import { Lab } from './lab.ts';
import { newRunConfig } from './new-run.ts';
import type { SweepHost, SweepRunner } from './sweep-runner.ts';

const tempDir = useTempDir();

afterEach(() => vi.useRealTimers());

function followingLab(runsDir: string, idleMs?: number) {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
  const lab = new Lab({ runsDir, launcher: fakeLauncher().launcher, following: { intervalMs: 1000, idleMs } });
  const events: LabEvent[] = [];
  lab.subscribe((event) => events.push(event));
  return { lab, events };
}

const messages = (events: LabEvent[], runId: string): TrainerMessage[] =>
  events.flatMap((event) => (event.type === 'trainer' && event.runId === runId ? [event.message] : []));

describe('Lab: runs another process trains', () => {
  it('sends every row and event `gaitlab train` writes after getRun, in order and once, then its end, and stops following', async () => {
    const runsDir = path.join(tempDir(), 'runs');
    const train = new CliProcess(['train', ...QUICK_PPO, '--steps', String(256 * 200), '--seed', '4', '--runs', runsDir]);
    await train.metricsRows(3);
    const runId = path.basename(await train.runDir());
    // Each look below moves the faked clock 1 s for ~10 ms of real time: a page that never asks again
    // would count as gone after 5 min of it (a few real seconds on a busy machine), so none is idle here.
    const { lab, events } = followingLab(runsDir, Number.MAX_SAFE_INTEGER);

    const detail = lab.getRun(runId);
    expect(detail.run).toMatchObject({ status: 'running', live: false });
    expect(vi.getTimerCount()).toBe(1);
    let ticks = 0;
    while (!messages(events, runId).some((m) => m.type === 'status')) {
      if (vi.getTimerCount() === 0) throw new Error('the Lab stopped following the run before it ended');
      await pause(10); // real time for the trainer to write
      vi.advanceTimersToNextTimer();
      ticks++;
    }
    expect((await train.exited).code).toBe(0);

    const received = messages(events, runId);
    const rows = received.flatMap((m) => (m.type === 'metrics' ? [m.row] : []));
    const logged = received.flatMap((m) => (m.type === 'event' ? [m.event] : []));
    const run = lab.store.openRun(runId);
    expect(rows.length).toBeGreaterThan(1);
    expect(ticks).toBeGreaterThan(1); // it came over several looks, not at the end
    expect([...detail.metrics, ...rows]).toEqual(run.readMetrics());
    expect([...detail.events, ...logged]).toEqual(run.readEvents());
    expect(received.at(-1)).toEqual({ type: 'status', status: 'finished', step: 256 * 200 });
    expect(events.at(-1)).toMatchObject({ type: 'run', run: { id: runId, status: 'finished', live: false } });

    // Stopped: no timer left, and nothing more is read or sent.
    expect(vi.getTimerCount()).toBe(0);
    const sent = events.length;
    vi.advanceTimersByTime(10_000);
    expect(events.length).toBe(sent);
    // An ended run is not followed again.
    expect(lab.getRun(runId).metrics).toEqual(run.readMetrics());
    expect(vi.getTimerCount()).toBe(0);
    await lab.close();
  });

  it('stops following a run no page asked for a while, a deleted run, and all at close; one follower per run', async () => {
    const runsDir = path.join(tempDir(), 'runs');
    const { lab, events } = followingLab(runsDir, 60_000);
    const runs = [1, 2, 3].map((seed) => {
      const config = newRunConfig({ env: 'Pendulum-v1', algo: 'ppo', seed, totalSteps: 4096, hparams: {} });
      const run = lab.store.createRun(config, { versions: { gaitlab: 'test', node: process.version } });
      run.updateInfo({ status: 'running' });
      return run;
    });
    const [idle, deleted, open] = runs.map((run) => run.info.id);
    for (const runId of [idle, deleted, open, open]) lab.getRun(runId);
    expect(vi.getTimerCount()).toBe(1);

    runs[2]!.appendMetrics({ update: 1, step: 256 });
    fs.appendFileSync(path.join(runs[2]!.dir, 'metrics.jsonl'), '{"update":2,"st'); // torn: waits for its end
    fs.rmSync(runs[1]!.dir, { recursive: true });
    vi.advanceTimersByTime(1000);
    expect(messages(events, open)).toEqual([{ type: 'metrics', row: { update: 1, step: 256 } }]);
    fs.appendFileSync(path.join(runs[2]!.dir, 'metrics.jsonl'), 'ep":512}\n');
    // The open run's page keeps asking; the idle one's does not.
    for (let t = 0; t < 70; t++) {
      lab.listCheckpoints(open);
      vi.advanceTimersByTime(1000);
    }
    expect(messages(events, open).map((m) => m.type === 'metrics' && m.row.update)).toEqual([1, 2]);
    expect(messages(events, idle)).toEqual([]);
    expect(messages(events, deleted)).toEqual([]);
    expect(vi.getTimerCount()).toBe(1); // the open run's

    // A resume elsewhere rewinds the log (rewritten whole): followed again from its start.
    runs[2]!.appendMetrics({ update: 3, step: 768 });
    fs.writeFileSync(path.join(runs[2]!.dir, 'metrics.jsonl.tmp'), '{"update":1,"step":256}\n{"update":2,"step":512}\n{"update":3,"step":770}\n');
    fs.renameSync(path.join(runs[2]!.dir, 'metrics.jsonl.tmp'), path.join(runs[2]!.dir, 'metrics.jsonl'));
    vi.advanceTimersByTime(1000);
    expect(messages(events, open).map((m) => m.type === 'metrics' && m.row.update)).toEqual([1, 2, 1, 2, 3]);

    await lab.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops following a run once a trainer of the Lab takes it on (a sweep trial resumed here)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let host!: SweepHost;
    const fake = fakeLauncher();
    const lab = new Lab({ runsDir: path.join(tempDir(), 'runs'), launcher: fake.launcher, sweeps: (h) => ((host = h), {} as SweepRunner) });
    const config = newRunConfig({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 4096, hparams: {} });
    const run = lab.store.createRun(config, { versions: { gaitlab: 'test', node: process.version } });
    run.updateInfo({ status: 'running' });
    lab.getRun(run.info.id);
    expect(vi.getTimerCount()).toBe(1);
    host.launcher(run.dir);
    expect(vi.getTimerCount()).toBe(0);
    expect(lab.getRun(run.info.id).run.live).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
