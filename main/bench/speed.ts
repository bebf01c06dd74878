/**
 * `npm run bench:speed -- [--env Pendulum-v1 ...] [--steps 40960] [--backend auto] [--json]`
 * Whole-loop PPO throughput with CleanRL's own settings (1 env, 2048 steps, 32 minibatches,
 * 10 epochs, 64-64 tanh: our defaults), and where the time goes: env stepping, acting (policy
 * forward + sampling + bookkeeping), and the update.
 */
import { Command } from 'commander';
import { positiveInt } from '../cli/option-parsers.ts';
import { BACKENDS, type BackendName } from '../config/run-config.ts';
import { measurePpoThroughput, type PpoThroughput } from './ppo-throughput.ts';

const program = new Command('bench:speed')
  .option('--env <id...>', 'environments', ['Pendulum-v1'])
  .option('--steps <n>', 'env steps per measurement', positiveInt, 40_960)
  .option('--backend <name>', `one of ${BACKENDS.join(', ')}`, 'auto')
  .option('--json', 'JSON only');
program.parse(process.argv);
const opts = program.opts();

const results: Record<string, PpoThroughput> = {};
for (const env of opts.env as string[]) {
  results[env] = await measurePpoThroughput(env, opts.steps, opts.backend as BackendName);
  if (!opts.json) console.error(env, JSON.stringify(results[env]));
}
console.log(JSON.stringify({ settings: 'CleanRL ppo_continuous_action defaults', cleanrl_reference_sps: 980, envs: results }));
