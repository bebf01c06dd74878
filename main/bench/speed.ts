/**
 * `npm run bench:speed -- [--env Pendulum-v1 ...] [--steps 40960] [--backend auto] [--envs 1 --workers 0] [--json]`
 * Whole-loop PPO throughput with CleanRL's own settings (1 env, 2048 steps, 32 minibatches,
 * 10 epochs, 64-64 tanh: our defaults), and where the time goes: env stepping, acting (policy
 * forward + sampling + bookkeeping), and the update. `--envs N --workers K` steps N envs in K
 * threads with the same batch of 2048 steps per update.
 */
import { Command } from 'commander';
import { nonNegativeInt, positiveInt } from '../cli/option-parsers.ts';
import { BACKENDS, type BackendName } from '../config/run-config.ts';
import { measurePpoThroughput, type PpoThroughput } from './ppo-throughput.ts';

const program = new Command('bench:speed')
  .option('--env <id...>', 'environments', ['Pendulum-v1'])
  .option('--steps <n>', 'env steps per measurement', positiveInt, 40_960)
  .option('--backend <name>', `one of ${BACKENDS.join(', ')}`, 'auto')
  .option('--envs <n>', 'envs per rollout, dividing its 2048 steps', positiveInt, 1)
  .option('--workers <k>', 'threads stepping the envs (0 or 1: this one alone); at most --envs', nonNegativeInt, 0)
  .option('--json', 'JSON only');
program.parse(process.argv);
const opts = program.opts();

const results: Record<string, PpoThroughput> = {};
for (const env of opts.env as string[]) {
  results[env] = await measurePpoThroughput(env, opts.steps, { backend: opts.backend as BackendName, numEnvs: opts.envs, workers: opts.workers });
  if (!opts.json) console.error(env, JSON.stringify(results[env]));
}
console.log(
  JSON.stringify({ settings: 'CleanRL ppo_continuous_action defaults', num_envs: opts.envs, workers: opts.workers, cleanrl_reference_sps: 980, envs: results }),
);
