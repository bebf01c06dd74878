/** The env stack and agent a run's hyperparameters describe: shared by the trainer and the learning checks. */
import type { Rng } from '../../sim/index.ts';
import { ActorCritic } from '../agent/actor-critic.ts';
import { parseNetArch } from '../algos/hparams.ts';
import type { NnBackend } from '../rl/nn/backend.ts';
import { buildEnvStack, type EnvStack } from './env-stack.ts';

/** The hyperparameters every on-policy run reads outside the algorithm. */
export interface RunHparams {
  num_envs: number;
  num_steps: number;
  gamma: number;
  gae_lambda: number;
  norm_obs: boolean;
  norm_reward: boolean;
  clip_obs: number;
  clip_reward: number;
  policy_arch: string;
  value_arch: string;
  activation: 'tanh' | 'relu';
  log_std_init: number;
  learning_rate: number;
  anneal_lr: boolean;
}

/** What a run sets outside its hyperparameters. */
export interface RunEnvOptions {
  /** Threads stepping the envs (RunConfig.workers): this one and workers - 1 worker threads; 0, 1 or absent: this one alone. */
  workers?: number;
}

export function buildRunParts(
  envId: string,
  hp: RunHparams,
  backend: NnBackend,
  rng: Rng,
  { workers = 0 }: RunEnvOptions = {},
): { stack: EnvStack; agent: ActorCritic } {
  const stack = buildEnvStack({
    envId,
    numEnvs: hp.num_envs,
    workers,
    normObs: hp.norm_obs,
    normReward: hp.norm_reward,
    clipObs: hp.clip_obs,
    clipReward: hp.clip_reward,
    gamma: hp.gamma,
  });
  const agent = new ActorCritic(
    {
      obsSize: stack.env.obsSize,
      actionSpace: stack.env.spec.actionSpace,
      policyArch: parseNetArch(hp.policy_arch),
      valueArch: parseNetArch(hp.value_arch),
      activation: hp.activation,
      logStdInit: hp.log_std_init,
    },
    backend,
    () => rng.uniform(),
  );
  return { stack, agent };
}

/**
 * An off-policy run's envs as they are: CleanRL's off-policy scripts normalize neither observations
 * nor rewards (the clips and gamma below only matter to the normalizers).
 */
export function buildOffPolicyStack(envId: string, numEnvs: number, { workers = 0 }: RunEnvOptions = {}): EnvStack {
  return buildEnvStack({ envId, numEnvs, workers, normObs: false, normReward: false, clipObs: Infinity, clipReward: Infinity, gamma: 1 });
}
