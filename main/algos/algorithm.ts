/**
 * The contracts algorithms implement: on-policy ones (rollout -> update, the rollout batch they
 * consume) and off-policy ones (act -> store in a replay buffer -> gradient steps on samples).
 */
import type { z } from 'zod';
import type { ActorCritic } from '../agent/actor-critic.ts';
import type { DeterministicPolicy } from '../agent/policy.ts';
import type { NnBackend } from '../rl/nn/backend.ts';
import type { BoxSpace, Rng } from '../../sim/index.ts';

/** How advantages are estimated: GAE on the critic's values, or relative to a group (group-advantages.ts). */
export type AdvantageEstimator = { kind: 'gae' } | { kind: 'group'; groupSize: number; leaveOneOut: boolean; scaleByStd: boolean };

/** One rollout, flattened time-major: row t * numEnvs + e. */
export interface RolloutBatch {
  numSteps: number;
  numEnvs: number;
  /** [T*N, obsSize] normalized observations the policy saw. */
  obs: Float32Array;
  /** [T*N, actionSize] sampled (unclipped) actions. */
  actions: Float32Array;
  /** [T*N] log-probabilities under the policy that collected the data. */
  logProbs: Float32Array;
  /** [T*N] value estimates at collection time. */
  values: Float32Array;
  /** [T*N] (scaled) rewards. */
  rewards: Float32Array;
  /** [T*N] GAE advantages and their value targets (advantages + values). */
  advantages: Float32Array;
  returns: Float32Array;
}

export interface UpdateContext {
  /** 1-based index of this update. */
  update: number;
  totalUpdates: number;
  /** Learning rate for this update (annealing already applied). */
  learningRate: number;
}

/** Diagnostics of one update, logged to metrics.jsonl (CleanRL's names where they exist). */
export type UpdateStats = Record<string, number>;

export interface OnPolicyAlgorithm {
  update(batch: RolloutBatch, context: UpdateContext): UpdateStats;
  /** Live hyperparameter change: applied from the next update on. */
  setHparams(values: Record<string, unknown>): void;
  /** Optimizer state (and any multipliers) for checkpoints. */
  saveState(): { scalars: Record<string, number>; arrays: Record<string, Float32Array> };
  loadState(state: { scalars: Record<string, number>; arrays: Record<string, Float32Array | Float64Array> }): void;
}

/** An on-policy algorithm (the kind every algorithm was before off-policy ones came). */
export interface AlgorithmDefinition<Schema extends z.ZodObject = z.ZodObject> {
  kind?: 'on-policy';
  id: string;
  title: string;
  /** One line for pickers and `gaitlab algos`. */
  description: string;
  hparamsSchema: Schema;
  /** How the rollout's advantages are estimated; GAE when absent. */
  advantageEstimator?(hparams: z.infer<Schema>): AdvantageEstimator;
  create(agent: ActorCritic, hparams: z.infer<Schema>, rng: Rng): OnPolicyAlgorithm;
}

/** Transitions sampled from a replay buffer; `size` rows each. */
export interface TransitionBatch {
  size: number;
  /** [B, obsSize] */
  obs: Float32Array;
  /** [B, actionSize] the actions taken (inside the Box). */
  actions: Float32Array;
  /** [B] */
  rewards: Float32Array;
  /** [B, obsSize] the real next observation (the final one where an episode ended). */
  nextObs: Float32Array;
  /** [B] 1 where nextObs is terminal: no bootstrap. Time-limit truncation is not termination. */
  terminated: Float32Array;
}

export interface OffPolicyAlgorithm {
  /** The policy evaluation runs: μ(s) for DDPG/TD3, tanh of the Gaussian's mean for SAC. */
  readonly policy: DeterministicPolicy;
  /** Exploration actions inside the Box: obs [N, obsSize] -> actions [N, actionSize]. */
  explore(obs: Float32Array, n: number, actions: Float32Array): void;
  /** One gradient step of the critics on a replay sample; the actor, temperature and targets follow their own schedules. */
  train(batch: TransitionBatch): UpdateStats;
  /** Live hyperparameter change: applied from the next gradient step on. */
  setHparams(values: Record<string, unknown>): void;
  /** Networks (online and target), optimizer states and step counters, for checkpoints. */
  saveState(): { scalars: Record<string, number>; arrays: Record<string, Float32Array> };
  loadState(state: { scalars: Record<string, number>; arrays: Record<string, Float32Array | Float64Array> }): void;
  dispose(): void;
}

/** What an off-policy algorithm is built for: the env's observation size and its (bounded) Box. */
export interface OffPolicyEnvSpec {
  obsSize: number;
  actionSpace: BoxSpace;
}

export interface OffPolicyDefinition<Schema extends z.ZodObject = z.ZodObject> {
  kind: 'off-policy';
  id: string;
  title: string;
  /** One line for pickers and `gaitlab algos`. */
  description: string;
  hparamsSchema: Schema;
  /** Builds the networks (drawing their initial weights from `rng`) and optimizers. */
  create(env: OffPolicyEnvSpec, hparams: z.infer<Schema>, backend: NnBackend, rng: Rng): OffPolicyAlgorithm;
}

/** Any algorithm in the registry; `kind` tells which loop trains it. */
export type RegisteredAlgorithm = AlgorithmDefinition | OffPolicyDefinition;
