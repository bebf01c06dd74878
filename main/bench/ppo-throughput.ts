/**
 * Whole-loop PPO throughput of one training run with CleanRL's `ppo_continuous_action.py` settings
 * (1 env, 2048 steps per rollout, 32 minibatches, 10 epochs, 64-64 tanh: our defaults), and where
 * its time goes. Shared by `bench:speed` and `bench:peer`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getAlgorithm, parseHparams } from '../algos/index.ts';
import { RunStore } from '../store/run-store.ts';
import { buildRunConfig } from '../config/build-run-config.ts';
import type { BackendName } from '../config/run-config.ts';
import { Trainer } from '../trainer/trainer.ts';

/** CleanRL's defaults that shape the work; with the rest of our PPO defaults, they override any built-in preset. */
export const CLEANRL_PPO_SETTINGS = { num_envs: 1, num_steps: 2048, num_minibatches: 32, update_epochs: 10, policy_arch: '64,64' };

export interface PpoThroughput {
  backend: string;
  steps: number;
  env_steps_per_s: number;
  /** The training loop's wall time (not the process start or the env and network set-up). */
  wall_s: number;
  /** CPU seconds of this process over the same loop (all its threads), and env steps per CPU second. */
  cpu_s: number;
  env_steps_per_cpu_s: number;
  seconds_per_2048_steps: { env: number; acting: number; update: number; total: number };
  share: { env: number; acting: number; update: number };
  /** Mean return of the last 20 training episodes (stochastic policy, raw env reward), null if none ended. */
  return_mean: number | null;
}

export interface ThroughputOptions {
  backend?: BackendName;
  /** Envs stepped side by side; each rollout keeps CleanRL's batch of 2048 steps (2048 / numEnvs steps per env). */
  numEnvs?: number;
  /** Threads stepping the envs (RunConfig.workers): 0 or 1, this thread alone. */
  workers?: number;
}

/** Trains one PPO run of `steps` env steps in a temporary run store, which it removes again. */
export async function measurePpoThroughput(
  env: string,
  steps: number,
  { backend = 'auto', numEnvs = 1, workers = 0 }: ThroughputOptions = {},
): Promise<PpoThroughput> {
  const batch = CLEANRL_PPO_SETTINGS.num_envs * CLEANRL_PPO_SETTINGS.num_steps;
  if (batch % numEnvs !== 0) throw new Error(`${numEnvs} envs do not divide CleanRL's batch of ${batch} steps: use a power of two`);
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-speed-'));
  try {
    // Every hyperparameter given (our PPO defaults are CleanRL's), so no built-in preset (Hopper's gamma, Pendulum's sizes) applies.
    const hparams = { ...parseHparams(getAlgorithm('ppo'), {}), ...CLEANRL_PPO_SETTINGS, num_envs: numEnvs, num_steps: batch / numEnvs };
    const config = buildRunConfig({ env, algo: 'ppo', seed: 1, totalSteps: steps, backend, workers, hparams, checkpointEveryUpdates: 1_000_000 });
    const run = new RunStore(runsDir).createRun(config, { versions: { gaitlab: 'bench', node: process.version } });
    const trainer = await Trainer.open(run);
    try {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      await trainer.train();
      const cpuUsed = process.cpuUsage(cpuBefore);
      const wallSeconds = (performance.now() - started) / 1000;
      const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
      const rows = run.readMetrics();
      const sum = (key: string) => rows.reduce((a, r) => a + (r[key] ?? 0), 0);
      const done = trainer.counters.step;
      return {
        backend: trainer.backendName,
        steps: done,
        env_steps_per_s: done / wallSeconds,
        wall_s: wallSeconds,
        cpu_s: cpuSeconds,
        env_steps_per_cpu_s: done / cpuSeconds,
        seconds_per_2048_steps: {
          env: (sum('time_env_s') / done) * 2048,
          acting: (sum('time_act_s') / done) * 2048,
          update: (sum('time_update_s') / done) * 2048,
          total: (wallSeconds / done) * 2048,
        },
        share: { env: sum('time_env_s') / wallSeconds, acting: sum('time_act_s') / wallSeconds, update: sum('time_update_s') / wallSeconds },
        return_mean: rows.at(-1)?.return_mean ?? null,
      };
    } finally {
      trainer.dispose();
    }
  } finally {
    fs.rmSync(runsDir, { recursive: true, force: true });
  }
}
