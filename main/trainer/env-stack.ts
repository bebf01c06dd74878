/** Builds the vectorized, normalized environment a run trains on (and the frozen one it evaluates on). */
import { makeEnv, SyncVecEnv, NormalizeObservation, NormalizeReward } from '../../sim/index.ts';
import type { VecEnv } from '../../sim/index.ts';

export interface EnvStackOptions {
  envId: string;
  numEnvs: number;
  normObs: boolean;
  normReward: boolean;
  clipObs: number;
  clipReward: number;
  gamma: number;
}

export interface EnvStack {
  env: VecEnv;
  obsNorm: NormalizeObservation | null;
  rewardNorm: NormalizeReward | null;
}

export function buildEnvStack(options: EnvStackOptions): EnvStack {
  let env: VecEnv = new SyncVecEnv(options.numEnvs, () => makeEnv(options.envId));
  const obsNorm = options.normObs ? new NormalizeObservation(env, { clip: options.clipObs }) : null;
  if (obsNorm) env = obsNorm;
  const rewardNorm = options.normReward ? new NormalizeReward(env, { gamma: options.gamma, clip: options.clipReward }) : null;
  if (rewardNorm) env = rewardNorm;
  return { env, obsNorm, rewardNorm };
}
