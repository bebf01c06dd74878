/**
 * `npm run bench:plot -- --out docs/curves/hopper.svg --title "PPO on Hopper-v0" RUN_DIR...`
 * Training-return curves (metrics.jsonl's return_mean against env steps) of finished runs, one line
 * per run, coloured by algorithm (or by --group-by seed / name), written as an SVG file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { RunStore } from '../store/run-store.ts';
import { learningCurveSvg, type CurveSeries } from './curve-svg.ts';

const program = new Command('bench:plot')
  .argument('<runs...>', 'run folders')
  .requiredOption('--out <file>', 'SVG file to write')
  .requiredOption('--title <text>', 'chart title')
  .option('--group-by <key>', 'colour lines by: algo, seed or name', 'algo')
  .option('--metric <name>', 'metrics.jsonl column to plot', 'return_mean');
program.parse(process.argv);
const opts = program.opts<{ out: string; title: string; groupBy: 'algo' | 'seed' | 'name'; metric: string }>();

const series: CurveSeries[] = program.args.map((dir) => {
  const run = new RunStore(path.dirname(path.resolve(dir))).openRun(path.resolve(dir));
  const { algo, seed } = run.info.config;
  const group = opts.groupBy === 'seed' ? `seed ${seed}` : opts.groupBy === 'name' ? run.info.name : algo;
  const points = run
    .readMetrics()
    .filter((row) => typeof row.step === 'number' && typeof row[opts.metric] === 'number')
    .map((row) => [row.step as number, row[opts.metric] as number] as const);
  return { group, points };
});
fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
fs.writeFileSync(opts.out, learningCurveSvg(series, { title: opts.title, xLabel: 'env steps', yLabel: opts.metric.replace(/_/g, ' ') }));
console.log(JSON.stringify({ out: opts.out, runs: series.length, points: series.reduce((n, s) => n + s.points.length, 0) }));
