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

export function buildRunParts(envId: string, hp: RunHparams, backend: NnBackend, rng: Rng): { stack: EnvStack; agent: ActorCritic } {
  const stack = buildEnvStack({
    envId,
    numEnvs: hp.num_envs,
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
