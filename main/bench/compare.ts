/**
 * `npm run bench:compare -- --env Hopper-v0 --steps 300000 [--algos ppo,trpo] [--seeds 3] [--jobs 2] --out docs/benchmarks/Hopper-v0`
 * Every algorithm (or those named) on one env with the same step budget and seeds, each with its
 * preset for that env where there is one; the same deterministic evaluation (10 episodes) of each
 * final policy; a uniformly random policy as the floor. Writes <out>.md (the table) and <out>.svg
 * (training curves, one line per run, coloured by algorithm) and prints JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { nonNegativeInt, positiveInt } from '../cli/option-parsers.ts';
import { listAlgorithms } from '../algos/index.ts';
import { RunStore } from '../store/run-store.ts';
import { learningCurveSvg } from './curve-svg.ts';
import { learnSeed, runInLanes, seedRange } from './learn-runs.ts';
import { randomPolicyReturn } from './random-policy.ts';

const program = new Command('bench:compare')
  .requiredOption('--env <id>')
  .requiredOption('--steps <n>', 'env steps per run (the same for every algorithm)', positiveInt)
  .requiredOption('--out <path>', 'writes <path>.md and <path>.svg')
  .option('--algos <ids>', 'comma-separated algorithm ids (default: all)')
  .option('--seeds <k>', 'number of seeds', positiveInt, 3)
  .option('--first-seed <s>', 'first seed (seeds s..s+k-1)', nonNegativeInt, 1)
  .option('--eval-episodes <n>', 'deterministic evaluation episodes', positiveInt, 10)
  .option('--runs <dir>', 'keep the runs here (default: a temp folder)')
  .option('--jobs <n>', 'runs at once (one per core; their wall times are then measured beside each other)', positiveInt, 1);
program.parse(process.argv);
const opts = program.opts<{
  env: string;
  steps: number;
  out: string;
  algos?: string;
  seeds: number;
  firstSeed: number;
  evalEpisodes: number;
  runs?: string;
  jobs: number;
}>();

const algos = opts.algos ? opts.algos.split(',') : listAlgorithms().map((a) => a.id);
const runsDir = opts.runs ? path.resolve(opts.runs) : fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-compare-'));
const random = await randomPolicyReturn(opts.env, opts.evalEpisodes, 10_000);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const fmt = (x: number) => x.toFixed(1);

const jobs = algos.flatMap((algo) => seedRange(opts.firstSeed, opts.seeds).map((seed) => ({ algo, seed })));
const results = await runInLanes(jobs, opts.jobs, ({ algo, seed }) =>
  learnSeed(
    {
      env: opts.env,
      algo,
      steps: opts.steps,
      sets: [],
      evalEpisodes: opts.evalEpisodes,
      runsDir,
      onSeed: (r) => console.error(JSON.stringify({ algo, ...r })),
    },
    seed,
  ),
);
const rows = algos.map((algo) => ({ algo, seeds: results.filter((_, i) => jobs[i].algo === algo) }));

const table = [
  `Each algorithm on ${opts.env}, ${opts.steps.toLocaleString('en')} env steps, seeds ${opts.firstSeed}-${opts.firstSeed + opts.seeds - 1}; deterministic evaluation of the final policy over ${opts.evalEpisodes} episodes. `,
  `Eval: mean ± std over seeds of each seed's mean. A uniformly random policy scores ${fmt(random.mean)} ± ${fmt(random.std)}.`,
  '',
  '| algorithm | eval return | per seed | last training return | wall time per run (s) | env steps/s |',
  '|---|---|---|---|---|---|',
  ...rows.map(({ algo, seeds }) => {
    const evals = seeds.map((s) => s.return_mean_eval);
    return `| ${algo} | ${fmt(mean(evals))} ± ${fmt(std(evals))} | ${evals.map(fmt).join(' / ')} | ${fmt(mean(seeds.map((s) => s.return_mean_train)))} | ${mean(seeds.map((s) => s.train_wall_s)).toFixed(0)} | ${mean(seeds.map((s) => s.sps)).toFixed(0)} |`;
  }),
  '',
].join('\n');

const store = new RunStore(runsDir);
const series = rows.flatMap(({ algo, seeds }) =>
  seeds.map((s) => ({
    group: algo,
    points: store
      .openRun(s.run)
      .readMetrics()
      .filter((row) => typeof row.step === 'number' && typeof row.return_mean === 'number')
      .map((row) => [row.step as number, row.return_mean as number] as const),
  })),
);
fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
fs.writeFileSync(`${opts.out}.md`, table);
fs.writeFileSync(
  `${opts.out}.svg`,
  learningCurveSvg(series, {
    title: `${opts.env}: training return, ${opts.seeds} seeds per algorithm`,
    xLabel: 'env steps',
    yLabel: 'return (training episodes)',
  }),
);
console.log(JSON.stringify({ env: opts.env, steps: opts.steps, random, runs_dir: runsDir, results: rows }));
