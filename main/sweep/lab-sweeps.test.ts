/**
 * The Lab's sweep calls with a real local sweep (trainer processes, files on disk): the trials'
 * training streams through the Lab like any run it trains, the sweep's changes come as events, and
 * a stopped sweep resumes to the end.
 */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import type { LabEvent, SweepSummary } from '../lab/api.ts';
import { forkTrainer } from '../lab/fork-launcher.ts';
import { waitForLabEvent } from '../lab/lab-events.test-support.ts';
import { Lab } from '../lab/lab.ts';
import { labSweeps } from './lab-sweeps.ts';

const tempDir = useTempDir();
/** How long a sweep's Lab event may take to come. */
const SWEEP_EVENT_MS = 60_000;

const sweepEnded = (status: SweepSummary['status']) => (event: LabEvent) => event.type === 'sweep' && event.sweep.status === status && !event.sweep.live;

/** Two PPO trials on Pendulum-v1 with small rollouts: a few updates each. */
const spec = (steps: number) => ({
  env: 'Pendulum-v1',
  algo: 'ppo',
  steps,
  method: 'random',
  trials: 2,
  concurrency: 2,
  seed: 3,
  parameters: { learning_rate: { min: 1e-4, max: 3e-3, log: true } },
  set: { num_envs: 1, num_steps: 256, num_minibatches: 4, update_epochs: 2 },
  checkpoint_every: 1,
});

describe('the Lab drives sweeps', () => {
  it('names each mistake of a spec by its field path, and creates nothing', () => {
    const lab = new Lab({ runsDir: tempDir(), launcher: forkTrainer, sweeps: labSweeps });
    const result = lab.validateSweep({ ...spec(1024), method: 'bayes', parameters: { learning_rate: { min: 0.01, max: 0.001 }, nope: { values: [1] } } });
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.issues.map((i) => i.field);
    expect(fields).toContain('method');
    expect(lab.validateSweep({ ...spec(1024), parameters: { learning_rate: { min: 0.01, max: 0.001 }, nope: { values: [1] } } })).toMatchObject({
      ok: false,
      issues: [
        { field: 'parameters.learning_rate.min', message: expect.stringContaining('greater than max') },
        { field: 'parameters.nope', message: expect.stringContaining('unknown hyperparameter') },
      ],
    });
    expect(lab.validateSweep(spec(1024))).toEqual({ ok: true });
    expect(() => lab.startSweep({ ...spec(1024), trials: 0 })).toThrow(/trials/);
    expect(lab.listSweeps()).toEqual([]);
    expect(lab.listRuns()).toEqual([]);
  });

  it('trains a sweep whose trials stream like runs trained here, and lists it with its best trial', async () => {
    const lab = new Lab({ runsDir: tempDir(), launcher: forkTrainer, sweeps: labSweeps });
    const events: LabEvent[] = [];
    lab.subscribe((event) => events.push(event));
    const finished = waitForLabEvent(lab, sweepEnded('finished'), SWEEP_EVENT_MS);
    const started = lab.startSweep(spec(1024));
    expect(started).toMatchObject({ status: 'running', method: 'random', env: 'Pendulum-v1', trials: 2, live: true });
    await finished;

    const detail = lab.getSweep(started.id);
    expect(detail.sweep).toMatchObject({ status: 'finished', finished: 2, live: false });
    for (const trial of detail.trials) {
      expect(trial).toMatchObject({ status: 'finished', latestStep: 1024, totalSteps: 1024, machine: hostname() });
      expect(typeof trial.latestMetric).toBe('number');
      // Every update of every trial reached the subscribers, as for a run this Lab started.
      const rows = events.filter((e) => e.type === 'trainer' && e.runId === trial.run && e.message.type === 'metrics');
      expect(rows).toHaveLength(4);
      expect(events.some((e) => e.type === 'run' && e.run.id === trial.run && e.run.live)).toBe(true);
    }
    expect(detail.decisions.map((d) => d.type).sort()).toEqual(['finished', 'finished', 'started', 'started']);
    const best = detail.trials.reduce((a, b) => ((b.metric ?? -Infinity) > (a.metric ?? -Infinity) ? b : a));
    expect(lab.listSweeps()).toEqual([expect.objectContaining({ id: started.id, best: expect.objectContaining({ trial: best.trial, run: best.run }) })]);
    expect(() => lab.resumeSweep(started.id)).toThrow(/finished/);
    await lab.close();
  });

  it('stops a sweep (its trials checkpoint and stop) and resumes it to the end', async () => {
    const lab = new Lab({ runsDir: tempDir(), launcher: forkTrainer, sweeps: labSweeps });
    const firstRow = waitForLabEvent(lab, (e) => e.type === 'trainer' && e.message.type === 'metrics', SWEEP_EVENT_MS);
    const started = lab.startSweep(spec(256 * 60));
    await firstRow;
    const stopped = waitForLabEvent(lab, sweepEnded('stopped'), SWEEP_EVENT_MS);
    lab.stopSweep(started.id);
    await stopped;
    const paused = lab.getSweep(started.id);
    expect(paused.trials.map((t) => t.status)).toEqual(['stopped', 'stopped']);
    for (const trial of paused.trials) expect(lab.getRun(trial.run).run.status).toBe('stopped');
    expect(() => lab.stopSweep(started.id)).toThrow(/not training/);

    const finished = waitForLabEvent(lab, sweepEnded('finished'), SWEEP_EVENT_MS);
    expect(lab.resumeSweep(started.id)).toMatchObject({ status: 'running', live: true });
    await finished;
    const done = lab.getSweep(started.id);
    expect(done.trials.map((t) => [t.status, t.latestStep])).toEqual([
      ['finished', 256 * 60],
      ['finished', 256 * 60],
    ]);
    expect(done.decisions.filter((d) => d.type === 'resumed')).toHaveLength(2);
    await lab.close();
  });

  it('refuses sweeps where no runner is given, saying where they run', () => {
    const lab = new Lab({ runsDir: tempDir(), launcher: forkTrainer });
    expect(() => lab.startSweep(spec(1024))).toThrow(/gaitlab sweep/);
  });
});
