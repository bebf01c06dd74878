/** The environment contract: Gymnasium semantics (reset/step, terminated vs truncated). */
import type { BoxSpace, Space } from './spaces.ts';
import type { Frame, Scene } from './scene.ts';

export interface EnvSpec {
  /** Registry id, e.g. `Pendulum-v1`. */
  readonly id: string;
  /** One line for pickers and `gaitlab envs`. */
  readonly description: string;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: Space;
  /** Simulated seconds per env step (physics timestep x frame skip). */
  readonly dtSeconds: number;
  /** Episode length at which the time limit truncates. */
  readonly maxEpisodeSteps: number;
  /** Names of the reward terms reported in `info.rewardTerms` (empty when the reward is a single term). */
  readonly rewardTerms: readonly string[];
}

export interface StepInfo {
  /** The reward split into its named terms; their sum is the reward. */
  rewardTerms?: Record<string, number>;
  [key: string]: unknown;
}

export interface StepResult {
  obs: Float64Array;
  reward: number;
  /** The MDP reached a terminal state: no bootstrapping past it. */
  terminated: boolean;
  /** The episode was cut (time limit): bootstrap from `obs`. */
  truncated: boolean;
  info: StepInfo;
}

export interface ResetOptions {
  /** Reseeds the env's generator; without it the episode continues the current stream. */
  seed?: number;
  /** Sets the physical state directly (the env's own state vector, e.g. [theta, thetaDot]). */
  state?: ArrayLike<number>;
}

/** Everything needed to continue an env bit for bit (JSON-serializable). */
export type EnvSnapshot = Record<string, unknown>;

export interface Env {
  readonly spec: EnvSpec;
  reset(options?: ResetOptions): { obs: Float64Array; info: StepInfo };
  /** Box spaces take the action vector; discrete spaces take `[index]`. */
  step(action: ArrayLike<number>): StepResult;
  /** What the viewer draws; frame() gives the current body poses in Scene order. */
  readonly scene: Scene;
  frame(out?: Frame): Frame;
  /** Saves and restores the physical state, the generator and episode counters (for exact resume). */
  saveState(): EnvSnapshot;
  loadState(snapshot: EnvSnapshot): void;
  close(): void;
}
