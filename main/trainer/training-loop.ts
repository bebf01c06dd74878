/**
 * What the Trainer drives, whatever the algorithm's kind: iterations of a fixed number of env
 * steps, each ending in one metrics row. On-policy (on-policy-loop.ts): a rollout and its update.
 * Off-policy (off-policy-loop.ts): log_every env steps, each stored in the replay buffer and
 * followed by a gradient step. The trainer adds the run's bookkeeping: counters, metrics,
 * checkpoints, commands, evaluation.
 */
import type { EpisodeRecord, Rng } from '../../sim/index.ts';
import type { DeterministicPolicy } from '../agent/policy.ts';
import type { RegisteredAlgorithm } from '../algos/algorithm.ts';
import type { NnBackend } from '../rl/nn/backend.ts';
import type { EnvStack } from './env-stack.ts';
import type { StepObserver } from './rollout.ts';
import type { RunEnvOptions } from './run-parts.ts';
import { OnPolicyLoop } from './on-policy-loop.ts';
import { OffPolicyLoop } from './off-policy-loop.ts';

export interface IterationResult {
  /** Episodes that finished during the iteration. */
  episodes: EpisodeRecord[];
  /** The row's loop-specific metrics: losses, learning rate, time_*_s. */
  stats: Record<string, number>;
}

/** The loop's share of a checkpoint. Its names are read back by later versions: keep them stable. */
export interface LoopState {
  scalars: Record<string, number>;
  arrays: Record<string, Float32Array | Float64Array>;
}

export interface TrainingLoop {
  readonly stack: EnvStack;
  /** Env steps (all envs together) per iteration. */
  readonly stepsPerIteration: number;
  /** What evaluation runs. */
  readonly policy: DeterministicPolicy;
  /** Runs iteration `iteration` (1-based) of `total`; `observe` sees every vector step. */
  iterate(iteration: number, total: number, observe?: StepObserver): IterationResult;
  /** A live hyperparameter change, already validated against the algorithm's schema. */
  setHparams(values: Record<string, unknown>): void;
  saveState(): LoopState;
  loadState(state: { scalars: Record<string, number>; arrays: Record<string, Float32Array | Float64Array> }): void;
  dispose(): void;
}

export interface LoopOptions extends RunEnvOptions {
  envId: string;
  /** Validated by the algorithm's schema. */
  hparams: Record<string, unknown>;
  backend: NnBackend;
  /** The run's one generator: network init, actions, sampling. */
  rng: Rng;
  /** The envs are reset with seed + i. */
  seed: number;
}

/** Builds the env stack, networks and algorithm of a run; the order of draws from `rng` is part of a run's reproducibility. */
export function createTrainingLoop(algo: RegisteredAlgorithm, options: LoopOptions): TrainingLoop {
  return algo.kind === 'off-policy' ? OffPolicyLoop.create(algo, options) : OnPolicyLoop.create(algo, options);
}
