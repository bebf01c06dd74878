/** Builds the vectorized, normalized environment a run trains on (and the frozen one it evaluates on). */
import { makeEnv, SyncVecEnv, NormalizeObservation, NormalizeReward } from '../../sim/index.ts';
import type { VecEnv } from '../../sim/index.ts';
// Node-only, so not part of sim/index.ts.
import { WorkerVecEnv } from '../../sim/core/worker-vec-env.ts';

export interface EnvStackOptions {
  envId: string;
  numEnvs: number;
  /** Worker threads stepping the envs; 0 or absent steps them in this thread. */
  workers?: number;
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
  const { envId, numEnvs, workers = 0 } = options;
  let env: VecEnv = workers > 1 ? new WorkerVecEnv({ envId, numEnvs, workers }) : new SyncVecEnv(numEnvs, () => makeEnv(envId));
  const obsNorm = options.normObs ? new NormalizeObservation(env, { clip: options.clipObs }) : null;
  if (obsNorm) env = obsNorm;
  const rewardNorm = options.normReward ? new NormalizeReward(env, { gamma: options.gamma, clip: options.clipReward }) : null;
  if (rewardNorm) env = rewardNorm;
  return { env, obsNorm, rewardNorm };
}
