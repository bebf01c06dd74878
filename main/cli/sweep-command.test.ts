/**
 * `gaitlab sweep` as a user runs it: real processes, real files; the queue tests on a real
 * redis-server with two real `gaitlab worker`s, one of them killed with SIGKILL mid-training, and
 * one stopped with SIGTERM, which hands its trials back; and a job whose spec does not validate,
 * which a worker refuses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeArgs } from '../../sim/core/engine-entry.ts';
import { connectRedis, queueConnection, streamKey, TRIALS_QUEUE } from '../sweep/queue.ts';
import { redisUnavailable, startRedis } from '../sweep/redis-server.ts';
import { CLI, gaitlab } from './cli-process.test-support.ts';

/** 4 PPO trials on Pendulum-v1, learning_rate log-uniform in 1e-4..3e-3; small rollouts keep them short. */
const spec = (overrides: Record<string, unknown> = {}) => ({
  env: 'Pendulum-v1',
  algo: 'ppo',
  steps: 8192,
  method: 'random',
  trials: 4,
  concurrency: 2,
  seed: 7,
  parameters: { learning_rate: { min: 1e-4, max: 3e-3, log: true } },
  set: { num_envs: 1, num_steps: 1024, num_minibatches: 4, update_epochs: 2 },
  checkpoint_every: 1,
  ...overrides,
});

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-sweep-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeSpec(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

function readJsonl(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

/** Every trial of the sweep is a finished run with a sweep link and metrics whose steps rise by one rollout each. */
function expectCompleteTrials(runsDir: string, outcome: { sweep: string }, steps = 8192): void {
  const sweep = JSON.parse(fs.readFileSync(path.join(runsDir, 'sweeps', outcome.sweep, 'sweep.json'), 'utf8'));
  for (const trial of sweep.trials) {
    const info = JSON.parse(fs.readFileSync(path.join(runsDir, trial.run, 'run.json'), 'utf8'));
    expect(info.status).toBe('finished');
    expect(info.sweep).toEqual({ id: outcome.sweep, trial: trial.trial });
    const rows = readJsonl(path.join(runsDir, trial.run, 'metrics.jsonl')).map((row) => row.step);
    expect(rows).toEqual(Array.from({ length: steps / 1024 }, (_, i) => 1024 * (i + 1)));
  }
}

function lastJsonLine(stdout: string): {
  sweep: string;
  trials: number;
  finished: number;
  failed: number;
  best: { run: string; metric: number; hparams: Record<string, number> };
} {
  return JSON.parse(stdout.trim().split('\n').at(-1) as string);
}

describe('gaitlab sweep (local trainer processes)', () => {
  it('runs a 4-trial random sweep to 4 finished runs and ends with the JSON line', async () => {
    const runsDir = path.join(dir, 'local');
    const result = await gaitlab(['sweep', writeSpec('random.json', spec()), '--runs', runsDir, '--json']);
    expect(result.stderr).not.toMatch(/gaitlab: /);
    expect(result.code).toBe(0);
    const outcome = lastJsonLine(result.stdout);
    expect(Object.keys(outcome)).toEqual(['sweep', 'trials', 'finished', 'failed', 'best']);
    expect(outcome).toMatchObject({ trials: 4, finished: 4, failed: 0 });
    expect(outcome.best.hparams.learning_rate).toBeGreaterThanOrEqual(1e-4);
    expect(outcome.best.hparams.learning_rate).toBeLessThanOrEqual(3e-3);
    expectCompleteTrials(runsDir, outcome);
    const decisions = readJsonl(path.join(runsDir, 'sweeps', outcome.sweep, 'trials.jsonl')).map((d) => d.type);
    expect(decisions.filter((t) => t === 'started')).toHaveLength(4);
    expect(decisions.filter((t) => t === 'finished')).toHaveLength(4);
    const listed = await gaitlab(['sweeps', '--runs', runsDir]);
    expect(listed.stdout).toContain(outcome.sweep);
    const runs = await gaitlab(['runs', '--runs', runsDir]);
    expect(runs.stderr).toBe(''); // the sweeps folder is not a broken run
  });

  it('PBT: the bottom trial exploits the top one (a fork of its checkpoint, parent linked) and explores; each run reads as one history', async () => {
    const runsDir = path.join(dir, 'pbt');
    const pbt = spec({
      method: 'pbt',
      trials: 2,
      steps: 2048,
      parameters: { learning_rate: { min: 1e-4, max: 3e-3, log: true } },
      pbt: { interval: 1024 },
      set: { num_envs: 1, num_steps: 512, num_minibatches: 4, update_epochs: 2 },
    });
    const result = await gaitlab(['sweep', writeSpec('pbt.json', pbt), '--runs', runsDir, '--json']);
    expect(result.code).toBe(0);
    const outcome = lastJsonLine(result.stdout);
    expect(outcome).toMatchObject({ trials: 2, finished: 2, failed: 0 });
    const [exploit, ...more] = readJsonl(path.join(runsDir, 'sweeps', outcome.sweep, 'trials.jsonl')).filter((d) => d.type === 'exploited');
    expect(more).toEqual([]);
    expect(exploit).toMatchObject({ step: 1024 });
    const child = JSON.parse(fs.readFileSync(path.join(runsDir, exploit.run as string, 'run.json'), 'utf8'));
    expect(child).toMatchObject({ status: 'finished', parent: { runId: exploit.from, step: 1024 }, sweep: { id: outcome.sweep, trial: exploit.trial } });
    expect(child.config.hparams.learning_rate).toBe((exploit.hparams as Record<string, number>).learning_rate);
    const steps = readJsonl(path.join(runsDir, exploit.run as string, 'metrics.jsonl')).map((row) => row.step);
    expect(steps).toEqual([512, 1024, 1536, 2048]);
    const replaced = JSON.parse(fs.readFileSync(path.join(runsDir, exploit.replaced as string, 'run.json'), 'utf8'));
    expect(replaced.status).toBe('stopped');
  });

  it('refuses a bad spec with one clear line and a non-zero exit, creating nothing', async () => {
    const runsDir = path.join(dir, 'refused');
    for (const [bad, message] of [
      [spec({ parameters: { learnin_rate: { min: 1e-4, max: 1e-3 } } }), 'parameters.learnin_rate: unknown hyperparameter "learnin_rate" for ppo'],
      [spec({ parameters: { learning_rate: { min: 1e-2, max: 1e-3 } } }), 'parameters.learning_rate.min: min (0.01) is greater than max (0.001)'],
      [spec({ method: 'bayes' }), 'method: Invalid option'],
    ] as const) {
      const result = await gaitlab(['sweep', writeSpec('bad.json', bad), '--runs', runsDir, '--json']);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(message);
    }
    expect(fs.existsSync(runsDir)).toBe(false);
  });
});

const unavailable = redisUnavailable();
if (unavailable) console.log(`${unavailable}: skipping the queue tests`);

describe.skipIf(unavailable !== null)('gaitlab sweep --queue (redis-server, two gaitlab workers)', () => {
  const PASSWORD = 's3cret-pw';
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis({ password: PASSWORD });
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await redis?.stop();
  });

  function startWorker(name: string): { child: ChildProcess; runsDir: string; output: () => string } {
    const runsDir = path.join(dir, name);
    const child = spawn(process.execPath, nodeArgs(CLI, ['worker', '--queue', redis.url, '--concurrency', '2', '--lock-duration', '3000', '--runs', runsDir]), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    return { child, runsDir, output: () => output };
  }

  /**
   * The runs a worker is training whose checkpoint at step 2048 or later has reached the controller
   * (found by polling both runs folders). One on the worker's disk alone is not enough: the worker
   * puts it in Redis after writing it, and a kill between the two resumes from the one before.
   */
  async function trainingWithCheckpoint(runsDir: string, controllerRunsDir: string): Promise<string[]> {
    const hasCheckpoint = (dir: string) => fs.existsSync(dir) && fs.readdirSync(dir).some((name) => /^\d+$/.test(name) && Number(name) >= 2048);
    for (;;) {
      const training = fs.existsSync(runsDir)
        ? fs.readdirSync(runsDir).filter((id) => {
            const runJson = path.join(runsDir, id, 'run.json');
            if (!fs.existsSync(runJson) || JSON.parse(fs.readFileSync(runJson, 'utf8')).status !== 'running') return false;
            return hasCheckpoint(path.join(controllerRunsDir, id, 'checkpoints'));
          })
        : [];
      if (training.length > 0) return training;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('finishes every trial although a worker is killed mid-training: resumed from a checkpoint, metrics neither lost nor doubled', async () => {
    const a = startWorker('worker-a');
    const b = startWorker('worker-b');
    const runsDir = path.join(dir, 'controller');
    const sweep = gaitlab(['sweep', writeSpec('queued.json', spec()), '--runs', runsDir, '--queue', redis.url, '--json']);
    const killed = await trainingWithCheckpoint(a.runsDir, runsDir);
    a.child.kill('SIGKILL');
    const result = await sweep;
    expect(result.code).toBe(0);
    const outcome = lastJsonLine(result.stdout);
    expect(outcome).toMatchObject({ trials: 4, finished: 4, failed: 0 });
    expectCompleteTrials(runsDir, outcome);
    for (const run of killed) {
      // The dead worker's trial went on elsewhere, from a checkpoint, not from scratch.
      const starts = readJsonl(path.join(runsDir, run, 'events.jsonl')).filter((e) => e.type === 'worker');
      expect(starts.length).toBeGreaterThanOrEqual(2);
      expect(starts.at(-1)?.step).toBeGreaterThanOrEqual(2048);
      expect(starts.at(-1)?.worker).toContain(String(b.child.pid));
    }
    for (const text of [result.stdout, result.stderr, a.output(), b.output()]) expect(text).not.toContain(PASSWORD);
    expect(result.stderr).toContain('redis://***@127.0.0.1');
  });

  it('a worker stopped with SIGTERM hands its trials back: another resumes each from the step it stopped at', async () => {
    // Worker b of the test before is still taking trials; c joins, then is stopped while it trains.
    const c = startWorker('worker-c');
    const runsDir = path.join(dir, 'controller-handback');
    const steps = 8 * 8192;
    const sweep = gaitlab(['sweep', writeSpec('handback.json', spec({ steps })), '--runs', runsDir, '--queue', redis.url, '--json']);
    const handedBack = await trainingWithCheckpoint(c.runsDir, runsDir);
    c.child.kill('SIGTERM');
    const exitCode = await new Promise((resolve) => c.child.once('exit', resolve));
    const result = await sweep;
    expect(exitCode).toBe(0);
    expect(c.output()).toContain('handing');
    expect(result.code).toBe(0);
    const outcome = lastJsonLine(result.stdout);
    expect(outcome).toMatchObject({ trials: 4, finished: 4, failed: 0 });
    expectCompleteTrials(runsDir, outcome, steps);
    for (const run of handedBack) {
      const events = readJsonl(path.join(runsDir, run, 'events.jsonl'));
      const back = events.findIndex((e) => e.type === 'handed-back');
      expect(back, `run ${run} was handed back`).toBeGreaterThanOrEqual(0);
      expect(events[back].worker).toContain(String(c.child.pid));
      // The next start is on another worker, at the very step the trial was handed back at.
      const next = events.slice(back).find((e) => e.type === 'worker');
      expect(next?.step).toBe(events[back].step);
      expect(next?.worker).not.toContain(String(c.child.pid));
    }
  });

  it('a worker refuses a job whose spec fails validation: the trial fails with the reason and nothing trains', async () => {
    // Worker b of the first test still takes jobs.
    const queue = new Queue(TRIALS_QUEUE, { connection: queueConnection(redis.url) });
    const { client, close } = await connectRedis(redis.url);
    try {
      const runId = 'refused-run';
      const job = await queue.add('trial', {
        sweepId: 'refused-sweep',
        spec: { env: 'Pendulum-v1', algo: 'ppo', steps: 2048, method: 'bayes' },
        runInfo: { id: runId },
        stopAtStep: null,
      });
      let state = await job.getState();
      while (state !== 'failed' && state !== 'completed') {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = await job.getState();
      }
      expect(state).toBe('failed');
      const failed = await queue.getJob(job.id!);
      expect(failed?.failedReason).toMatch(/^refused: invalid sweep spec: method: Invalid option/);
      expect(failed?.attemptsMade).toBe(1); // not retried
      // The controller hears it on the sweep's stream: the trial failed, with the reason.
      const reply = (await client.xread([{ key: streamKey('refused-sweep'), id: '0' }], { COUNT: 10 })) as [string, [string, string[]][]][] | null;
      const entries = (reply?.[0]?.[1] ?? []).map(([, flat]) => Object.fromEntries(chunks(flat)));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ kind: 'exit', run: runId });
      expect(JSON.parse(entries[0].data)).toMatchObject({ status: 'failed', step: 0, error: failed?.failedReason });
      expect(fs.existsSync(path.join(dir, 'worker-b', runId))).toBe(false);
    } finally {
      await queue.close();
      await close();
    }
  });
});

/** [k1, v1, k2, v2, ...] -> [[k1, v1], [k2, v2], ...] */
function chunks(flat: string[]): [string, string][] {
  return Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
}
