/**
 * Trains one run per seed, each in its own `gaitlab train` process (so peak memory is per run),
 * then evaluates the final policy deterministically (`gaitlab eval`). Shared by bench:learn and
 * bench:compare, which may run several such processes at once (`jobs`): one per core, and the wall
 * times are then measured beside each other.
 */
import { spawn } from 'node:child_process';
import { engineEntry, nodeArgs } from '../../sim/core/engine-entry.ts';

export interface LearnBenchOptions {
  env: string;
  algo: string;
  /** Env steps per run; the preset's (or 1M) when absent. */
  steps?: number;
  seeds: number;
  /** Seeds run are firstSeed .. firstSeed + seeds - 1 (so more seeds can be added to a finished set). */
  firstSeed?: number;
  /** Hyperparameters as `key=value`. */
  sets: readonly string[];
  evalEpisodes: number;
  runsDir: string;
  /** Called with each seed's result as it lands. */
  onSeed?: (result: SeedResult) => void;
}

export interface SeedResult {
  seed: number;
  steps: number;
  return_mean_train: number;
  return_mean_eval: number;
  return_std_eval: number;
  eval_lengths: number[];
  eval_forward_velocity: number[] | null;
  sps: number;
  train_wall_s: number;
  process_wall_s: number;
  peak_rss_mb: number;
  backend: string;
  run: string;
}

const CLI = engineEntry('main/cli/cli.ts');

const lastJsonLine = (out: string) => JSON.parse(out.trim().split('\n').pop() as string);

/** Runs `gaitlab` with `args` (its progress on this process's stderr) and returns its last JSON line. */
function gaitlab(args: string[]) {
  return new Promise<ReturnType<typeof lastJsonLine>>((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs(CLI, args), { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(lastJsonLine(stdout)) : reject(new Error(`gaitlab ${args.join(' ')} exited with ${code}`))));
  });
}

/** Seeds first .. first + count - 1. */
export function seedRange(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}

/** The seeds' runs, `jobs` at a time, in seed order. */
export async function benchLearn(options: LearnBenchOptions, jobs = 1): Promise<SeedResult[]> {
  return runInLanes(seedRange(options.firstSeed ?? 1, options.seeds), jobs, (seed) => learnSeed(options, seed));
}

/** Calls `work` on every item, at most `lanes` at once; the results in the items' order. */
export async function runInLanes<T, R>(items: readonly T[], lanes: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  return results;
}

/** One seed's run: trained, then evaluated. */
export async function learnSeed(options: Omit<LearnBenchOptions, 'seeds' | 'firstSeed'>, seed: number): Promise<SeedResult> {
  const args = ['train', '--env', options.env, '--algo', options.algo, '--seed', String(seed), '--runs', options.runsDir, '--json'];
  if (options.steps) args.push('--steps', String(options.steps));
  for (const s of options.sets) args.push('--set', s);
  const started = performance.now();
  const train = await gaitlab(args);
  const processWallSeconds = (performance.now() - started) / 1000;
  const evaluation = await gaitlab(['eval', train.run, '--runs', options.runsDir, '--episodes', String(options.evalEpisodes), '--json']);
  const result: SeedResult = {
    seed,
    steps: train.step,
    return_mean_train: train.return_mean,
    return_mean_eval: evaluation.returnMean,
    return_std_eval: evaluation.returnStd,
    eval_lengths: evaluation.lengths,
    eval_forward_velocity: evaluation.forwardVelocities ?? null,
    sps: train.step / train.wall_s,
    train_wall_s: train.wall_s,
    process_wall_s: processWallSeconds,
    peak_rss_mb: train.peak_rss_mb,
    backend: train.backend,
    run: train.run,
  };
  options.onSeed?.(result);
  return result;
}
