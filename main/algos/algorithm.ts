/** The contract every on-policy algorithm implements, and the rollout batch they all consume. */
import type { z } from 'zod';
import type { ActorCritic } from '../agent/actor-critic.ts';
import type { Rng } from '../../sim/index.ts';
import type { AdvantageEstimator } from '../trainer/rollout.ts';

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

export interface AlgorithmDefinition<Schema extends z.ZodObject = z.ZodObject> {
  id: string;
  title: string;
  /** One line for pickers and `gaitlab algos`. */
  description: string;
  hparamsSchema: Schema;
  /** How the rollout's advantages are estimated; GAE when absent. */
  advantageEstimator?(hparams: z.infer<Schema>): AdvantageEstimator;
  create(agent: ActorCritic, hparams: z.infer<Schema>, rng: Rng): OnPolicyAlgorithm;
}
