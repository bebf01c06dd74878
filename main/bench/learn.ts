/**
 * `npm run bench:learn -- --env Pendulum-v1 --algo ppo --steps 150000 --seeds 3 [--set k=v] [--json]`
 * Trains one run per seed, each in its own `gaitlab train` process (so peak memory is per run),
 * then evaluates the final policy deterministically. Prints per-seed results as JSON.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';

const program = new Command('bench:learn')
  .requiredOption('--env <id>')
  .option('--algo <id>', 'algorithm', 'ppo')
  .option('--steps <n>', 'env steps per run', (v) => Number(v))
  .option('--seeds <k>', 'number of seeds (1..k)', (v) => Number(v), 3)
  .option('--set <key=value>', 'hyperparameter (repeatable)', (v: string, p: string[]) => [...p, v], [])
  .option('--eval-episodes <n>', 'deterministic evaluation episodes', (v) => Number(v), 10)
  .option('--runs <dir>', 'keep the runs here (default: a temp folder)')
  .option('--json', 'JSON only');
program.parse(process.argv);
const opts = program.opts();

const cli = path.resolve('bin/gaitlab.js');
const runsDir = opts.runs ? path.resolve(opts.runs) : fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-bench-'));
const perSeed = [];
for (let seed = 1; seed <= opts.seeds; seed++) {
  const args = ['train', '--env', opts.env, '--algo', opts.algo, '--seed', String(seed), '--runs', runsDir, '--json'];
  if (opts.steps) args.push('--steps', String(opts.steps));
  for (const s of opts.set as string[]) args.push('--set', s);
  const started = performance.now();
  const out = execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  const wallSeconds = (performance.now() - started) / 1000;
  const train = JSON.parse(out.trim().split('\n').pop() as string);
  const evalOut = execFileSync(process.execPath, [cli, 'eval', train.run, '--runs', runsDir, '--episodes', String(opts.evalEpisodes), '--json'], { encoding: 'utf8' });
  const evaluation = JSON.parse(evalOut.trim().split('\n').pop() as string);
  perSeed.push({
    seed,
    steps: train.step,
    return_mean_train: train.return_mean,
    return_mean_eval: evaluation.returnMean,
    return_std_eval: evaluation.returnStd,
    eval_lengths: evaluation.lengths,
    eval_forward_velocity: evaluation.forwardVelocities ?? null,
    sps: train.step / train.wall_s,
    train_wall_s: train.wall_s,
    process_wall_s: wallSeconds,
    peak_rss_mb: train.peak_rss_mb,
    backend: train.backend,
    run: train.run,
  });
  if (!opts.json) console.error(JSON.stringify(perSeed[perSeed.length - 1]));
}
console.log(JSON.stringify({ env: opts.env, algo: opts.algo, runs_dir: runsDir, seeds: perSeed }));
