/**
 * The Lab with real trainer processes (Node children, as in serve mode): live changes, pause and
 * resume reach a training run, and a killed trainer fails its run and nothing else. Also under a
 * busy pipe (a Lab that reads slowly while trainers stream large episodes): runs still end with
 * the right status, and metrics never queue behind episodes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import type { LabEvent, RunStatus } from './api.ts';
import type { TrainerMessage } from '../trainer/protocol.ts';
import { forkTrainer } from './fork-launcher.ts';
import { waitForLabEvent } from './lab-events.test-support.ts';
import { Lab } from './lab.ts';
import type { TrainerProcess } from './trainer-launcher.ts';

const tempDir = useTempDir();

const status = (runId: string, wanted: RunStatus) => (event: LabEvent) =>
  event.type === 'trainer' && event.runId === runId && event.message.type === 'status' && event.message.status === wanted;
const metrics = (runId: string, update: number) => (event: LabEvent) =>
  event.type === 'trainer' && event.runId === runId && event.message.type === 'metrics' && event.message.row.update === update;

// Small rollouts so a run has several updates within a second or two.
const smallRun = {
  env: 'Pendulum-v1',
  algo: 'ppo',
  seed: 3,
  totalSteps: 256 * 40,
  hparams: { num_steps: 256, num_minibatches: 4, update_epochs: 2, anneal_lr: false },
};

/**
 * HalfCheetah's episodes are always 1000 steps long, ~1 MB of frames each: one fills the pipe.
 * One episode per update, and one update per second or so, so the trainer keeps sending.
 */
const cheetahRun = (updates: number) => ({
  env: 'HalfCheetah-v0',
  algo: 'ppo',
  seed: 5,
  totalSteps: 1000 * updates,
  hparams: { num_envs: 1, num_steps: 1000, num_minibatches: 4, update_epochs: 1 },
});

/**
 * This thread stops reading, as a busy UI does: it holds the event loop (the pipe fills) until
 * `done`. A test's timeout cannot end a blocked thread, so this gives up by itself after 60 s.
 */
function readNothingUntil(done: () => boolean): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  for (let polls = 0; !done(); polls++) {
    if (polls === 1200) throw new Error('what the test waits for never happened');
    Atomics.wait(sleeper, 0, 0, 50);
  }
}

const metricsOnDisk = (lab: Lab, runId: string) => {
  const file = path.join(lab.store.root, runId, 'metrics.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).length : 0;
};
const endedOnDisk = (lab: Lab, runId: string) => ['stopped', 'finished', 'failed'].includes(lab.store.openRun(runId).info.status);

/** What the Lab told its subscribers about `runId`, in order. */
function recordEvents(lab: Lab): (runId: string) => TrainerMessage[] {
  const seen: { runId: string; message: TrainerMessage }[] = [];
  lab.subscribe((event) => event.type === 'trainer' && seen.push({ runId: event.runId, message: event.message }));
  return (runId) => seen.filter((e) => e.runId === runId).map((e) => e.message);
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('Lab with real trainers', () => {
  it('applies a live change at the next update, pauses, resumes and finishes', async () => {
    const lab = new Lab({ runsDir: path.join(tempDir(), 'runs'), launcher: forkTrainer });
    const run = lab.createRun(smallRun);
    await waitForLabEvent(lab, metrics(run.id, 1));
    lab.command(run.id, { type: 'pause' });
    await waitForLabEvent(lab, status(run.id, 'paused'));
    expect(lab.listRuns()[0]).toMatchObject({ status: 'paused', live: true });

    lab.command(run.id, { type: 'set-hparams', values: { learning_rate: 1e-4 } });
    await waitForLabEvent(lab, (e) => e.type === 'trainer' && e.message.type === 'event' && e.message.event.type === 'hparams');
    lab.command(run.id, { type: 'resume' });
    await waitForLabEvent(lab, status(run.id, 'finished'));

    const detail = lab.getRun(run.id);
    const change = detail.events.find((e) => e.type === 'hparams');
    expect(change).toMatchObject({ values: { learning_rate: 1e-4 }, previous: { learning_rate: run.config.hparams.learning_rate } });
    expect(detail.events.map((e) => e.type)).toEqual(expect.arrayContaining(['pause', 'hparams', 'resume']));
    const after = detail.metrics.filter((row) => (row.step ?? 0) > change!.step);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((row) => row.learning_rate === 1e-4)).toBe(true);
    expect(detail.hparams.learning_rate).toBe(1e-4);
    await lab.close();
    expect(lab.getRun(run.id).run).toMatchObject({ status: 'finished', live: false });
  });

  it('marks a run whose trainer is killed as failed and keeps the other one training', async () => {
    const processes: TrainerProcess[] = [];
    const lab = new Lab({
      runsDir: path.join(tempDir(), 'runs'),
      launcher: (runDir) => {
        const trainer = forkTrainer(runDir);
        processes.push(trainer);
        return trainer;
      },
    });
    const doomed = lab.createRun(smallRun);
    const survivor = lab.createRun({ ...smallRun, seed: 4 });
    await Promise.all([waitForLabEvent(lab, metrics(doomed.id, 1)), waitForLabEvent(lab, metrics(survivor.id, 1))]);
    const failed = waitForLabEvent(lab, status(doomed.id, 'failed'));
    processes[0].kill();
    expect(await failed).toMatchObject({ message: { error: 'the trainer was killed (SIGKILL)' } });
    expect(lab.store.openRun(doomed.id).info).toMatchObject({ status: 'failed', error: 'the trainer was killed (SIGKILL)' });
    await waitForLabEvent(lab, status(survivor.id, 'finished'));
    expect(lab.store.openRun(survivor.id).info.status).toBe('finished');
    await lab.close();
  });

  it('ends runs stopped and finished, with every metrics row, when the Lab reads slowly', async () => {
    const lab = new Lab({ runsDir: path.join(tempDir(), 'runs'), launcher: forkTrainer, trajectoryIntervalMs: 0 });
    const messagesOf = recordEvents(lab);
    const finishing = lab.createRun(cheetahRun(2));
    const stopping = lab.createRun({ ...cheetahRun(1000), seed: 6 });
    await waitForLabEvent(lab, metrics(stopping.id, 1));
    lab.command(stopping.id, { type: 'stop' });
    // Both trainers end and write run.json while the pipes are full; the Lab reads on a while later.
    readNothingUntil(() => endedOnDisk(lab, finishing.id) && endedOnDisk(lab, stopping.id));
    const busyUntil = Date.now() + 1000; // a trainer that exits at once is gone by then
    readNothingUntil(() => Date.now() >= busyUntil);
    await until(() => lab.listRuns().every((run) => !run.live));

    for (const [run, ended] of [
      [finishing, 'finished'],
      [stopping, 'stopped'],
    ] as const) {
      expect(lab.store.openRun(run.id).info).toMatchObject({ status: ended });
      expect(lab.getRun(run.id).run).toMatchObject({ status: ended, live: false });
      const messages = messagesOf(run.id);
      const statuses = messages.filter((m) => m.type === 'status');
      expect(statuses.map((m) => m.status)).toEqual(['running', ended]);
      // The trainer's own last messages reached the Lab: every metrics row, in order, then its final status with the exact step.
      const rows = messages.flatMap((m) => (m.type === 'metrics' ? [m.row] : []));
      expect(rows.map((row) => row.update)).toEqual(Array.from({ length: metricsOnDisk(lab, run.id) }, (_, i) => i + 1));
      expect(statuses.at(-1)).toMatchObject({ step: rows.at(-1)!.step });
    }

    await lab.close();
  });

  it('keeps the Lab within one update of metrics.jsonl while large episodes stream', async () => {
    const lab = new Lab({ runsDir: path.join(tempDir(), 'runs'), launcher: forkTrainer, trajectoryIntervalMs: 0 });
    const run = lab.createRun(cheetahRun(5));
    const lags: number[] = [];
    lab.subscribe((event) => {
      if (event.type === 'trainer' && event.runId === run.id && event.message.type === 'metrics')
        lags.push(metricsOnDisk(lab, run.id) - event.message.row.update!);
    });
    await waitForLabEvent(lab, status(run.id, 'finished'), 60_000);
    expect(lags).toHaveLength(5);
    expect(Math.max(...lags)).toBeLessThanOrEqual(1);
    await lab.close();
  });

  it('sends every metrics row at once while episodes wait: at most one episode queued behind a Lab that does not read', async () => {
    const lab = new Lab({ runsDir: path.join(tempDir(), 'runs'), launcher: forkTrainer, trajectoryIntervalMs: 0 });
    const messagesOf = recordEvents(lab);
    const run = lab.createRun(cheetahRun(1000));
    await waitForLabEvent(lab, metrics(run.id, 1));
    const before = metricsOnDisk(lab, run.id);
    const blocked = 5;
    readNothingUntil(() => metricsOnDisk(lab, run.id) >= before + blocked);
    const after = metricsOnDisk(lab, run.id);
    await waitForLabEvent(lab, metrics(run.id, after));
    const messages = messagesOf(run.id);
    const rows = messages.flatMap((m) => (m.type === 'metrics' ? [m.row.update] : []));
    expect(rows).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
    // The episodes of the updates trained while the Lab read nothing were coalesced: the one in
    // flight when the pipe filled and the newest waiting, not one per update. The first arrived
    // ahead of those updates' metrics rows, the other after them: no row waited behind two.
    const ofBlockedUpdates = messages.filter((m) => m.type === 'trajectory' && m.trajectory.update > before && m.trajectory.update <= after);
    expect(ofBlockedUpdates.length).toBeLessThanOrEqual(2);
    const from = messages.findIndex((m) => m.type === 'metrics' && m.row.update === before);
    const to = messages.findIndex((m) => m.type === 'metrics' && m.row.update === after);
    expect(messages.slice(from, to).filter((m) => m.type === 'trajectory').length).toBeLessThanOrEqual(1);
    await lab.close();
  });
});
