/**
 * `npm run bench:sweep-throughput -- [--env Hopper-v0] [--algo ppo] [--steps 100000] [--rounds 2] [--json]`
 * What a sweep costs and gives on this machine, in env steps per wall second of the whole sweep
 * (trainer processes' start and the controller included):
 *   alone   one trial, a local sweep of concurrency 1
 *   local   two trials at once, a local sweep of concurrency 2 (the embedded default on 2 cores)
 *   queued  one trial through the queue: a redis-server and a `gaitlab worker` of concurrency 1,
 *           both started here on 127.0.0.1, the controller in this process
 * A virtual machine's speed drifts from one minute to the next, so the three are measured in
 * turns, `rounds` times, and compared over all rounds. Prints one JSON object (progress on stderr).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { engineEntry, nodeArgs } from '../../sim/core/engine-entry.ts';
import { positiveInt } from '../cli/option-parsers.ts';
import type { SweepSpecInput } from '../config/sweep-spec.ts';
import { RunStore } from '../store/run-store.ts';
import { SweepController } from '../sweep/controller.ts';
import type { TrialExecutor } from '../sweep/executor.ts';
import { LocalExecutor } from '../sweep/local-executor.ts';
import { QueueExecutor } from '../sweep/queue-executor.ts';
import { redisUnavailable, startRedis } from '../sweep/redis-server.ts';

const program = new Command('bench:sweep-throughput')
  .option('--env <id>', 'environment', 'Hopper-v0')
  .option('--algo <id>', 'algorithm', 'ppo')
  .option('--steps <n>', 'env steps per trial', positiveInt, 100_000)
  .option('--rounds <n>', 'turns of alone, local and queued', positiveInt, 2)
  .option('--json', 'JSON only');
program.parse(process.argv);
const opts = program.opts();
const log = (line: string) => (opts.json ? undefined : console.error(line));
const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-bench-sweep-'));
const runs = new RunStore(runsDir);

/** Env steps the sweep trained, its wall seconds, and its trainers' own env-steps/s after their first update. */
interface Measure {
  steps: number;
  seconds: number;
  trainerStepsPerSecond: number;
}

/** A grid with no parameters: one trial per seed, the preset's settings. */
async function measure(name: string, seeds: number[], executor: TrialExecutor): Promise<Measure> {
  const spec: SweepSpecInput = { name, env: opts.env, algo: opts.algo, steps: opts.steps, method: 'grid', seeds, concurrency: seeds.length };
  const start = performance.now();
  const controller = SweepController.create(runs, spec, executor, { queue: executor instanceof QueueExecutor });
  await controller.run();
  const seconds = (performance.now() - start) / 1000;
  let steps = 0;
  const trainer = { steps: 0, seconds: 0 };
  for (const trial of controller.sweep.info.trials) {
    const rows = runs.openRun(trial.run).readMetrics();
    steps += rows.at(-1)!.step!;
    trainer.steps += rows.at(-1)!.step! - rows[0].step!;
    trainer.seconds += rows.at(-1)!.wall_s! - rows[0].wall_s!;
  }
  const result = { steps, seconds, trainerStepsPerSecond: (trainer.steps / trainer.seconds) * seeds.length };
  log(`  ${name}: ${steps} steps in ${seconds.toFixed(1)} s = ${Math.round(steps / seconds)} env-steps/s`);
  return result;
}

/** A `gaitlab worker` process on `url`, taking one trial at a time. */
function startWorker(url: string): { stop: () => Promise<void> } {
  const worker = spawn(
    process.execPath,
    nodeArgs(engineEntry('main/cli/cli.ts'), ['worker', '--queue', url, '--concurrency', '1', '--runs', path.join(runsDir, 'worker')]),
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (worker.exitCode !== null) return resolve();
        worker.once('exit', () => resolve());
        worker.kill('SIGTERM');
      }),
  };
}

const unavailable = redisUnavailable();
if (unavailable) log(`${unavailable}: measuring without the queue`);
const redis = unavailable ? null : await startRedis();
const worker = redis ? startWorker(redis.url) : null;
const turns: Record<'alone' | 'local' | 'queued', Measure[]> = { alone: [], local: [], queued: [] };
try {
  for (let round = 1; round <= opts.rounds; round++) {
    log(`round ${round}`);
    turns.alone.push(await measure(`alone-${round}`, [round], new LocalExecutor()));
    turns.local.push(await measure(`local-${round}`, [round, round + 100], new LocalExecutor()));
    if (redis) turns.queued.push(await measure(`queued-${round}`, [round], await QueueExecutor.connect(redis.url, runs)));
  }
} finally {
  await worker?.stop();
  await redis?.stop();
}

/** Env-steps/s over all rounds: steps over seconds, summed. */
function overall(measures: Measure[]): { env_steps_per_s: number; trainer_env_steps_per_s: number } | null {
  if (measures.length === 0) return null;
  const steps = measures.reduce((a, m) => a + m.steps, 0);
  const seconds = measures.reduce((a, m) => a + m.seconds, 0);
  const trainer = measures.reduce((a, m) => a + m.trainerStepsPerSecond, 0) / measures.length;
  return { env_steps_per_s: Math.round(steps / seconds), trainer_env_steps_per_s: Math.round(trainer) };
}
const alone = overall(turns.alone)!;
const local = overall(turns.local)!;
const queued = overall(turns.queued);
console.log(
  JSON.stringify({
    what: `env steps per wall second of a whole sweep, ${opts.algo} on ${opts.env}, ${opts.steps} steps per trial, ${opts.rounds} rounds in turns`,
    cores: os.availableParallelism(),
    alone,
    local_concurrency_2: local,
    queued,
    local_speedup: Math.round((local.env_steps_per_s / alone.env_steps_per_s) * 100) / 100,
    queue_overhead: queued ? Math.round((1 - queued.env_steps_per_s / alone.env_steps_per_s) * 1000) / 1000 : null,
    load_average: os.loadavg().map((l) => Math.round(l * 100) / 100),
    turns,
  }),
);
fs.rmSync(runsDir, { recursive: true, force: true });
