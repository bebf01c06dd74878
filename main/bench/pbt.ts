/**
 * `npm run bench:pbt -- [--env Hopper-v0] [--algo ppo] [--trials 8] [--steps 300000] [--interval 50000]
 *   [--search-seeds 1,2] [--concurrency 2] [--runs DIR] [--json]`
 * Does Population-Based Training earn its place? For each search seed: a PBT sweep, a random search
 * that starts from the same sampled settings (same search seed, same trial seeds), and the preset
 * alone; every trial trains `steps` env steps, so both searches spend the same total budget. Each
 * final trial is evaluated on 10 deterministic episodes (seed 10000, as `gaitlab eval`); the best of
 * each search is compared with the preset. Prints one JSON object (progress on stderr).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { positiveInt } from '../cli/option-parsers.ts';
import type { SweepSpecInput } from '../config/sweep-spec.ts';
import { RunStore } from '../store/run-store.ts';
import { SweepController } from '../sweep/controller.ts';
import { LocalExecutor } from '../sweep/local-executor.ts';
import { Trainer } from '../trainer/trainer.ts';

const EVAL_EPISODES = 10;
const EVAL_SEED = 10_000;

const program = new Command('bench:pbt')
  .option('--env <id>', 'environment', 'Hopper-v0')
  .option('--algo <id>', 'algorithm', 'ppo')
  .option('--trials <n>', 'population size = random-search settings', positiveInt, 8)
  .option('--steps <n>', 'env steps per trial', positiveInt, 300_000)
  .option('--interval <n>', "PBT's exploit/explore interval in env steps", positiveInt, 50_000)
  .option('--search-seeds <list>', 'seeds of the searches (comma-separated)', '1,2')
  .option('--concurrency <n>', 'trials at once', positiveInt, os.availableParallelism())
  .option('--runs <dir>', 'keep the runs here (default: a temp folder)')
  .option('--json', 'JSON only');
program.parse(process.argv);
const opts = program.opts();
const searchSeeds = String(opts.searchSeeds)
  .split(',')
  .map((s) => positiveInt(s.trim()));
const runsDir = opts.runs ? path.resolve(opts.runs) : fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-bench-pbt-'));
const runs = new RunStore(runsDir);
const log = (line: string) => (opts.json ? undefined : console.error(line));

/** The live hyperparameters PBT may move, around the preset's values. */
const PARAMETERS = {
  learning_rate: { min: 1e-4, max: 1e-3, log: true },
  ent_coef: { min: 0, max: 0.01 },
  clip_coef: { min: 0.1, max: 0.3 },
};

async function evaluate(runId: string): Promise<number> {
  const trainer = await Trainer.open(runs.openRun(runId));
  try {
    return trainer.evaluate(EVAL_EPISODES, EVAL_SEED).returnMean;
  } finally {
    trainer.dispose();
  }
}

/** Runs one sweep to the end; the deterministic evaluation of each of its final trials, best first. */
async function sweep(spec: SweepSpecInput): Promise<{ sweep: string; wallSeconds: number; trials: { run: string; eval: number; hparams: unknown }[] }> {
  const start = performance.now();
  const controller = SweepController.create(runs, spec, new LocalExecutor(), {
    queue: false,
    listener: { onTrial: (t, what) => log(`  ${spec.name} trial ${t.trial}: ${what}`) },
  });
  await controller.run();
  const wallSeconds = (performance.now() - start) / 1000;
  const trials = [];
  for (const t of controller.sweep.info.trials) trials.push({ run: t.run, eval: await evaluate(t.run), hparams: t.hparams });
  trials.sort((a, b) => b.eval - a.eval);
  return { sweep: controller.sweep.info.id, wallSeconds, trials };
}

const results = [];
for (const seed of searchSeeds) {
  const common = { env: opts.env, algo: opts.algo, steps: opts.steps, concurrency: opts.concurrency, seeds: [seed], seed };
  log(`search seed ${seed}: PBT`);
  const pbt = await sweep({ ...common, name: `pbt-${seed}`, method: 'pbt', trials: opts.trials, parameters: PARAMETERS, pbt: { interval: opts.interval } });
  log(`search seed ${seed}: random search from the same settings`);
  const random = await sweep({ ...common, name: `random-${seed}`, method: 'random', trials: opts.trials, parameters: PARAMETERS });
  log(`search seed ${seed}: the preset`);
  const preset = await sweep({ ...common, name: `preset-${seed}`, method: 'grid' });
  const best = { pbt: pbt.trials[0].eval, random: random.trials[0].eval, preset: preset.trials[0].eval };
  results.push({ search_seed: seed, best, pbt_beats_random: best.pbt > best.random, pbt_beats_preset: best.pbt > best.preset, pbt, random, preset });
}
console.log(
  JSON.stringify({
    what: `best final trial, ${EVAL_EPISODES} deterministic evaluation episodes each; ${opts.trials} trials x ${opts.steps} steps per search`,
    env: opts.env,
    algo: opts.algo,
    interval: opts.interval,
    runs_dir: runsDir,
    load_average: os.loadavg().map((l) => Math.round(l * 100) / 100),
    results,
  }),
);
