/**
 * The Lab with real trainer processes (Node children, as in serve mode): live changes, pause and
 * resume reach a training run, and a killed trainer fails its run and nothing else.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import type { LabEvent, RunStatus } from './api.ts';
import { forkTrainer } from './fork-launcher.ts';
import { Lab } from './lab.ts';
import type { TrainerProcess } from './trainer-launcher.ts';

const tempDir = useTempDir();

/** Resolves with the first event that matches. */
function waitFor(lab: Lab, match: (event: LabEvent) => boolean, timeoutMs = 30_000): Promise<LabEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for a Lab event')), timeoutMs);
    const unsubscribe = lab.subscribe((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}

const status = (runId: string, wanted: RunStatus) => (event: LabEvent) =>
  event.type === 'trainer' && event.runId === runId && event.message.type === 'status' && event.message.status === wanted;
const metrics = (runId: string, update: number) => (event: LabEvent) =>
  event.type === 'trainer' && event.runId === runId && event.message.type === 'metrics' && event.message.row.update === update;

// Small rollouts so a run has several updates within a second or two.
const smallRun = { env: 'Pendulum-v1', algo: 'ppo', seed: 3, totalSteps: 256 * 40, hparams: { num_steps: 256, num_minibatches: 4, update_epochs: 2, anneal_lr: false } };

describe('Lab with real trainers', () => {
  it('applies a live change at the next update, pauses, resumes and finishes', async () => {
    const lab = new Lab({ runsDir: path.join(tempDir(), 'runs'), launcher: forkTrainer });
    const run = lab.createRun(smallRun);
    await waitFor(lab, metrics(run.id, 1));
    lab.command(run.id, { type: 'pause' });
    await waitFor(lab, status(run.id, 'paused'));
    expect(lab.listRuns()[0]).toMatchObject({ status: 'paused', live: true });

    lab.command(run.id, { type: 'set-hparams', values: { learning_rate: 1e-4 } });
    await waitFor(lab, (e) => e.type === 'trainer' && e.message.type === 'event' && e.message.event.type === 'hparams');
    lab.command(run.id, { type: 'resume' });
    await waitFor(lab, status(run.id, 'finished'));

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
    await Promise.all([waitFor(lab, metrics(doomed.id, 1)), waitFor(lab, metrics(survivor.id, 1))]);
    const failed = waitFor(lab, status(doomed.id, 'failed'));
    processes[0].kill();
    expect(await failed).toMatchObject({ message: { error: 'the trainer was killed (SIGKILL)' } });
    expect(lab.store.openRun(doomed.id).info).toMatchObject({ status: 'failed', error: 'the trainer was killed (SIGKILL)' });
    await waitFor(lab, status(survivor.id, 'finished'));
    expect(lab.store.openRun(survivor.id).info.status).toBe('finished');
    await lab.close();
  });
});
