/**
 * `npm run bench:learn -- --env Pendulum-v1 --algo ppo --steps 150000 --seeds 3 [--set k=v] [--jobs 2] [--json]`
 * One run per seed (see learn-runs.ts); prints per-seed results as JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { nonNegativeInt, positiveInt } from '../cli/option-parsers.ts';
import { benchLearn } from './learn-runs.ts';

const program = new Command('bench:learn')
  .requiredOption('--env <id>')
  .option('--algo <id>', 'algorithm', 'ppo')
  .option('--steps <n>', 'env steps per run', positiveInt)
  .option('--seeds <k>', 'number of seeds', positiveInt, 3)
  .option('--first-seed <s>', 'first seed (seeds s..s+k-1)', nonNegativeInt, 1)
  .option('--set <key=value>', 'hyperparameter (repeatable)', (v: string, p: string[]) => [...p, v], [])
  .option('--eval-episodes <n>', 'deterministic evaluation episodes', positiveInt, 10)
  .option('--runs <dir>', 'keep the runs here (default: a temp folder)')
  .option('--jobs <n>', 'seeds at once (one per core; their wall times are then measured beside each other)', positiveInt, 1)
  .option('--json', 'JSON only');
program.parse(process.argv);
const opts = program.opts();

const runsDir = opts.runs ? path.resolve(opts.runs) : fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-bench-'));
const seeds = await benchLearn(
  {
    env: opts.env,
    algo: opts.algo,
    steps: opts.steps,
    seeds: opts.seeds,
    firstSeed: opts.firstSeed,
    sets: opts.set,
    evalEpisodes: opts.evalEpisodes,
    runsDir,
    onSeed: (result) => {
      if (!opts.json) console.error(JSON.stringify(result));
    },
  },
  opts.jobs,
);
console.log(JSON.stringify({ env: opts.env, algo: opts.algo, runs_dir: runsDir, seeds }));
