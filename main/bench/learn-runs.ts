/**
 * Trains one run per seed, each in its own `gaitlab train` process (so peak memory is per run),
 * then evaluates the final policy deterministically (`gaitlab eval`). Shared by bench:learn and
 * bench:compare.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

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

const CLI = path.resolve('bin/gaitlab.js');

const lastJsonLine = (out: string) => JSON.parse(out.trim().split('\n').pop() as string);

export function benchLearn(options: LearnBenchOptions): SeedResult[] {
  const results: SeedResult[] = [];
  const first = options.firstSeed ?? 1;
  for (let seed = first; seed < first + options.seeds; seed++) {
    const args = ['train', '--env', options.env, '--algo', options.algo, '--seed', String(seed), '--runs', options.runsDir, '--json'];
    if (options.steps) args.push('--steps', String(options.steps));
    for (const s of options.sets) args.push('--set', s);
    const started = performance.now();
    const train = lastJsonLine(execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 }));
    const processWallSeconds = (performance.now() - started) / 1000;
    const evaluation = lastJsonLine(
      execFileSync(process.execPath, [CLI, 'eval', train.run, '--runs', options.runsDir, '--episodes', String(options.evalEpisodes), '--json'], { encoding: 'utf8' }),
    );
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
    results.push(result);
    options.onSeed?.(result);
  }
  return results;
}
