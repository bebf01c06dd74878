/**
 * `npm run bench:speed -- [--env Pendulum-v1 ...] [--steps 40960] [--backend auto] [--json]`
 * Whole-loop PPO throughput with CleanRL's own settings (1 env, 2048 steps, 32 minibatches,
 * 10 epochs, 64-64 tanh: our defaults), and where the time goes: env stepping, acting (policy
 * forward + sampling + bookkeeping), and the update.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { positiveInt } from '../cli/option-parsers.ts';
import { RunStore } from '../store/run-store.ts';
import { buildRunConfig } from '../config/build-run-config.ts';
import { BACKENDS, type BackendName } from '../config/run-config.ts';
import { Trainer } from '../trainer/trainer.ts';

const program = new Command('bench:speed')
  .option('--env <id...>', 'environments', ['Pendulum-v1'])
  .option('--steps <n>', 'env steps per measurement', positiveInt, 40_960)
  .option('--backend <name>', `one of ${BACKENDS.join(', ')}`, 'auto')
  .option('--json', 'JSON only');
program.parse(process.argv);
const opts = program.opts();

const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-speed-'));
const store = new RunStore(runsDir);
const results: Record<string, unknown> = {};
for (const env of opts.env as string[]) {
  // No preset: the algorithm's defaults are CleanRL's ppo_continuous_action.py settings.
  const config = buildRunConfig({ env, algo: 'ppo', seed: 1, totalSteps: opts.steps, backend: opts.backend as BackendName, checkpointEveryUpdates: 1_000_000 });
  const defaults = { num_envs: 1, num_steps: 2048, num_minibatches: 32, update_epochs: 10, policy_arch: '64,64' };
  config.hparams = { ...config.hparams, ...defaults };
  const run = store.createRun(config, { versions: { gaitlab: 'bench', node: process.version } });
  const trainer = await Trainer.open(run);
  const started = performance.now();
  await trainer.train();
  const wallSeconds = (performance.now() - started) / 1000;
  const rows = run.readMetrics();
  const sum = (key: string) => rows.reduce((a, r) => a + (r[key] ?? 0), 0);
  const steps = trainer.counters.step;
  results[env] = {
    backend: trainer.backendName,
    steps,
    env_steps_per_s: steps / wallSeconds,
    wall_s: wallSeconds,
    seconds_per_2048_steps: {
      env: (sum('time_env_s') / steps) * 2048,
      acting: (sum('time_act_s') / steps) * 2048,
      update: (sum('time_update_s') / steps) * 2048,
      total: (wallSeconds / steps) * 2048,
    },
    share: { env: sum('time_env_s') / wallSeconds, acting: sum('time_act_s') / wallSeconds, update: sum('time_update_s') / wallSeconds },
  };
  trainer.dispose();
  if (!opts.json) console.error(env, JSON.stringify(results[env]));
}
fs.rmSync(runsDir, { recursive: true, force: true });
console.log(JSON.stringify({ settings: 'CleanRL ppo_continuous_action defaults', cleanrl_reference_sps: 980, envs: results }));
