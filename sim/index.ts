/** The simulation layer's public surface: env contract, spaces, RNG, wrappers, vector envs, registry. */
export * from './core/spaces.ts';
export * from './core/env.ts';
export * from './core/scene.ts';
export { Rng, type RngState } from './core/rng.ts';
export { EnvWrapper, VecEnvWrapper } from './core/wrappers.ts';
export { TimeLimit } from './core/time-limit.ts';
export { ClipAction } from './core/clip-action.ts';
export { SyncVecEnv, type VecEnv, type VecStepResult, type EpisodeRecord } from './core/vec-env.ts';
export {
  NormalizeObservation,
  NormalizeReward,
  RunningMeanStd,
  type ObsNormOptions,
  type ObsNormStats,
  type RewardNormOptions,
  type RewardNormStats,
} from './core/normalize.ts';
export { makeEnv, listEnvs, registerEnv, type EnvFactory, type MakeEnvOptions } from './core/registry.ts';
export { loadMjcf, type MjcfModel } from './mjcf/index.ts';
export { initPhysics } from './robots/index.ts';
import { registerClassicEnvs } from './classic/index.ts';
import { registerRobotEnvs } from './robots/index.ts';

registerClassicEnvs();
registerRobotEnvs();
