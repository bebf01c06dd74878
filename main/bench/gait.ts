/**
 * `npm run bench:gait -- RUN_DIR... [--episodes 3] [--seed 10000] [--clearance 0.005]`
 * Deterministic evaluation episodes of each run's latest checkpoint (as `gaitlab eval` plays them),
 * and per episode how it moves (gait-stats.ts): its length, the share of steps in the air and the
 * flight phases, and the root body's height range and largest tilt. One JSON line per run.
 */
import path from 'node:path';
import { Command } from 'commander';
import { nonNegativeInt, positiveInt, positiveNumber } from '../cli/option-parsers.ts';
import { initPhysics } from '../../sim/index.ts';
import { RunStore } from '../store/run-store.ts';
import { Trainer } from '../trainer/trainer.ts';
import { gaitStats } from './gait-stats.ts';

const program = new Command('bench:gait')
  .argument('<runs...>', 'run folders')
  .option('--episodes <n>', 'evaluation episodes per run', positiveInt, 3)
  .option('--seed <n>', "seed of the first episode (gaitlab eval's default)", nonNegativeInt, 10_000)
  .option('--clearance <m>', 'height above the floor that counts as in the air', positiveNumber, 0.005);
program.parse(process.argv);
const opts = program.opts<{ episodes: number; seed: number; clearance: number }>();

await initPhysics();
for (const dir of program.args) {
  const run = new RunStore(path.dirname(path.resolve(dir))).openRun(path.resolve(dir));
  const trainer = await Trainer.open(run, () => {}, {});
  try {
    const { trajectories } = trainer.recordEvaluation(opts.episodes, opts.seed);
    const episodes = trajectories.map((t) => {
      const stats = gaitStats(t.scene, t.frames, t.rewards.length, t.dtSeconds, opts.clearance);
      return {
        seed: t.seed,
        steps: stats.steps,
        airborne_fraction: +stats.airborneFraction.toFixed(3),
        flight_phases: stats.flightPhases,
        flights_per_s: +stats.flightsPerSecond.toFixed(2),
        root_height_m: stats.rootHeightRange.map((z) => +z.toFixed(3)),
        root_tilt_max_deg: +stats.rootTiltMaxDeg.toFixed(1),
      };
    });
    console.log(
      JSON.stringify({
        run: run.info.id,
        env: run.info.config.env,
        algo: run.info.config.algo,
        seed: run.info.config.seed,
        step: trajectories[0]?.step,
        episodes,
      }),
    );
  } finally {
    trainer.dispose();
  }
}
