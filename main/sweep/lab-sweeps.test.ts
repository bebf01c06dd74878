/**
 * The Lab's sweep calls with a real local sweep (trainer processes, files on disk): the trials'
 * training streams through the Lab like any run it trains, the sweep's changes come as events, and
 * a stopped sweep resumes to the end. A queued sweep trains on a real `gaitlab worker` through a
 * real redis-server (skipped with one line where there is none).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeArgs } from '../../sim/core/engine-entry.ts';
import { CLI } from '../cli/cli-process.test-support.ts';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import type { LabEvent, SweepSummary } from '../lab/api.ts';
import { forkTrainer } from '../lab/fork-launcher.ts';
import { waitForLabEvent } from '../lab/lab-events.test-support.ts';
import { Lab } from '../lab/lab.ts';
import { labSweeps } from './lab-sweeps.ts';
import { freePort, redisUnavailable, startRedis } from './redis-server.ts';

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
  it('names each mistake of a spec by its field path, and creates nothing', async () => {
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
    await expect(lab.startSweep({ ...spec(1024), trials: 0 })).rejects.toThrow(/trials/);
    expect(lab.listSweeps()).toEqual([]);
    expect(lab.listRuns()).toEqual([]);
  });

  it('trains a sweep whose trials stream like runs trained here, and lists it with its best trial', async () => {
    const lab = new Lab({ runsDir: tempDir(), launcher: forkTrainer, sweeps: labSweeps });
    const events: LabEvent[] = [];
    lab.subscribe((event) => events.push(event));
    const finished = waitForLabEvent(lab, sweepEnded('finished'), SWEEP_EVENT_MS);
    const started = await lab.startSweep(spec(1024));
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
    await expect(lab.resumeSweep(started.id)).rejects.toThrow(/finished/);
    await lab.close();
  });

  it('stops a sweep (its trials checkpoint and stop) and resumes it to the end', async () => {
    const lab = new Lab({ runsDir: tempDir(), launcher: forkTrainer, sweeps: labSweeps });
    const firstRow = waitForLabEvent(lab, (e) => e.type === 'trainer' && e.message.type === 'metrics', SWEEP_EVENT_MS);
    const started = await lab.startSweep(spec(256 * 60));
    await firstRow;
    const stopped = waitForLabEvent(lab, sweepEnded('stopped'), SWEEP_EVENT_MS);
    lab.stopSweep(started.id);
    await stopped;
    const paused = lab.getSweep(started.id);
    expect(paused.trials.map((t) => t.status)).toEqual(['stopped', 'stopped']);
    for (const trial of paused.trials) expect(lab.getRun(trial.run).run.status).toBe('stopped');
    expect(() => lab.stopSweep(started.id)).toThrow(/not training/);

    // A queue it cannot use leaves the sweep as it was, to be resumed here.
    await expect(lab.resumeSweep(started.id, { queue: 'http://127.0.0.1:6379' })).rejects.toThrow(/^the queue is a http: URL/);
    expect(lab.getSweep(started.id).sweep).toMatchObject({ status: 'stopped', live: false, executor: 'local' });
    const finished = waitForLabEvent(lab, sweepEnded('finished'), SWEEP_EVENT_MS);
    expect(await lab.resumeSweep(started.id)).toMatchObject({ status: 'running', live: true });
    await finished;
    const done = lab.getSweep(started.id);
    expect(done.trials.map((t) => [t.status, t.latestStep])).toEqual([
      ['finished', 256 * 60],
      ['finished', 256 * 60],
    ]);
    expect(done.decisions.filter((d) => d.type === 'resumed')).toHaveLength(2);
    await lab.close();
  });

  it('refuses sweeps where no runner is given, saying where they run', async () => {
    const lab = new Lab({ runsDir: tempDir(), launcher: forkTrainer });
    await expect(lab.startSweep(spec(1024))).rejects.toThrow(/gaitlab sweep/);
  });
});

/** Every file and folder under dir: a refused call must leave it as it was. */
const listing = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).sort();

describe('the Lab refuses a queue it cannot use', () => {
  const PASSWORD = 'lab-s3cret';

  it('refuses a URL that is not redis:// with one line, creating nothing and quoting no password', async () => {
    const runsDir = tempDir();
    const lab = new Lab({ runsDir, launcher: forkTrainer, sweeps: labSweeps });
    const before = listing(runsDir);
    for (const [queue, message] of [
      [`http://:${PASSWORD}@127.0.0.1:6379`, 'the queue is a http: URL: expected redis://HOST:PORT or rediss://HOST:PORT'],
      [`:${PASSWORD}@127.0.0.1:6379`, 'the queue is not a URL: expected redis://HOST:PORT (or redis://:PASSWORD@HOST:PORT)'],
    ]) {
      const refused = await lab.startSweep(spec(1024), { queue }).catch((error: Error) => error);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toBe(message);
    }
    expect(listing(runsDir)).toEqual(before);
    expect(lab.listSweeps()).toEqual([]);
    await lab.close();
  });

  it('refuses a queue that does not answer with one line, creating nothing and quoting no password', async () => {
    const runsDir = tempDir();
    const lab = new Lab({ runsDir, launcher: forkTrainer, sweeps: labSweeps });
    const before = listing(runsDir);
    const port = await freePort();
    const refused = await lab.startSweep(spec(1024), { queue: `redis://:${PASSWORD}@127.0.0.1:${port}` }).catch((error: Error) => error);
    expect((refused as Error).message).toMatch(new RegExp(`^cannot reach the queue at redis://\\*\\*\\*@127\\.0\\.0\\.1:${port} within 10 s: [^\\n]+$`));
    expect((refused as Error).message).not.toContain(PASSWORD);
    expect(listing(runsDir)).toEqual(before);
    await lab.close();
  });
});

const unavailable = redisUnavailable();
if (unavailable) console.log(`${unavailable}: skipping the Lab's queued sweep`);

describe.skipIf(unavailable !== null)('the Lab drives a sweep through a queue (redis-server, a gaitlab worker)', () => {
  const PASSWORD = 'lab-s3cret';
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let workerDir: string;
  let worker: ChildProcess;
  beforeAll(async () => {
    redis = await startRedis({ password: PASSWORD });
    workerDir = fs.mkdtempSync(path.join(tmpdir(), 'gaitlab-worker-'));
    worker = spawn(process.execPath, nodeArgs(CLI, ['worker', '--queue', redis.url, '--concurrency', '2', '--runs', workerDir]), { stdio: 'ignore' });
  });
  afterAll(async () => {
    if (worker?.exitCode === null) worker.kill('SIGKILL');
    await redis?.stop();
    fs.rmSync(workerDir, { recursive: true, force: true });
  });

  it("trains every trial on the worker into the Lab's runs folder, streaming its rows and naming the worker", async () => {
    const runsDir = tempDir();
    const lab = new Lab({ runsDir, launcher: forkTrainer, sweeps: labSweeps });
    const events: LabEvent[] = [];
    /** Each training trial's machine as the Sweeps view shows it at each sweep event (it reads getSweep then). */
    const shownWhileTraining: string[] = [];
    lab.subscribe((event) => {
      events.push(event);
      if (event.type !== 'sweep' || !event.sweep.live) return;
      for (const t of lab.getSweep(event.sweep.id).trials) if (t.status === 'running') shownWhileTraining.push(`${t.trial} ${t.machine}`);
    });
    const finished = waitForLabEvent(lab, sweepEnded('finished'), SWEEP_EVENT_MS);
    const started = await lab.startSweep(spec(1024), { queue: redis.url });
    expect(started).toMatchObject({ status: 'running', trials: 2, live: true });
    await finished;

    const detail = lab.getSweep(started.id);
    expect(detail.sweep).toMatchObject({ status: 'finished', finished: 2, live: false, executor: 'queue' });
    for (const trial of detail.trials) {
      expect(trial).toMatchObject({ status: 'finished', latestStep: 1024, machine: `${hostname()}:${worker.pid}` });
      // The table named the worker while the trial trained there, not only once it was done.
      expect(shownWhileTraining).toContain(`${trial.trial} ${hostname()}:${worker.pid}`);
      const run = lab.getRun(trial.run);
      expect(run.run.status).toBe('finished');
      expect(run.metrics.map((row) => row.step)).toEqual([256, 512, 768, 1024]);
      // Each row reached the subscribers as it came, like a row of a trainer this Lab started.
      const rows = events.filter((e) => e.type === 'trainer' && e.runId === trial.run && e.message.type === 'metrics');
      expect(rows.map((e) => (e.type === 'trainer' && e.message.type === 'metrics' ? e.message.row.step : null))).toEqual([256, 512, 768, 1024]);
    }
    const sweepJson = fs.readFileSync(path.join(runsDir, 'sweeps', started.id, 'sweep.json'), 'utf8');
    expect(JSON.parse(sweepJson)).toMatchObject({ executor: 'queue' });
    for (const text of [sweepJson, JSON.stringify(events)]) expect(text).not.toContain(PASSWORD);
    await lab.close();
  });
});
