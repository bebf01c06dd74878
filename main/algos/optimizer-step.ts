/**
 * One optimizer over a set of parameter groups (by default all of an agent's, as PPO uses), with a
 * global gradient-norm clip. Algorithms that fit the policy and the critic separately (TRPO, MDPO)
 * make one per part; V-MPO adds its Lagrange multipliers as an extra group.
 */
import { Adam, type AdamState } from '../rl/adam.ts';
import type { ActorCritic, ParamGroup } from '../agent/actor-critic.ts';

/** What OptimizerStep needs of an optimizer: Adam's interface (RMSprop has the same). */
export interface GroupOptimizer {
  /** Updates every group in place after clipping the global gradient norm; returns the norm before clipping. */
  step(params: readonly Float32Array[], grads: readonly Float32Array[], learningRate: number, maxGradNorm: number | null): number;
  getState(): AdamState;
  setState(state: { scalars: Record<string, number>; arrays: Record<string, Float32Array | Float64Array> }): void;
}

export interface OptimizerStepOptions {
  /** The groups to update (default: all of the agent's). */
  groups?: ParamGroup[];
  /** Builds the optimizer for these group sizes (default: Adam with eps 1e-5, CleanRL's). */
  optimizer?: (groupSizes: number[]) => GroupOptimizer;
}

export class OptimizerStep {
  private readonly optimizer: GroupOptimizer;
  private readonly groups: ParamGroup[];

  constructor(
    private readonly agent: ActorCritic,
    options: OptimizerStepOptions = {},
  ) {
    this.groups = options.groups ?? agent.paramGroups();
    const sizes = this.groups.map((g) => g.params.length);
    this.optimizer = options.optimizer ? options.optimizer(sizes) : new Adam(sizes, { eps: 1e-5 });
  }

  /** Applies the accumulated gradients; returns the global gradient norm before clipping. */
  step(learningRate: number, maxGradNorm: number | null): number {
    const norm = this.optimizer.step(
      this.groups.map((g) => g.params),
      this.groups.map((g) => g.grads),
      learningRate,
      maxGradNorm,
    );
    this.agent.paramsChanged();
    return norm;
  }

  saveState(): AdamState {
    return this.optimizer.getState();
  }

  loadState(state: Parameters<GroupOptimizer['setState']>[0]): void {
    this.optimizer.setState(state);
  }
}

type SavedState = Parameters<GroupOptimizer['setState']>[0];

/** Several optimizers' states as one checkpoint state, each key under `<part>/`. */
export function joinStates(parts: Record<string, AdamState>): AdamState {
  const joined: AdamState = { scalars: {}, arrays: {} };
  for (const [part, state] of Object.entries(parts)) {
    for (const [key, value] of Object.entries(state.scalars)) joined.scalars[`${part}/${key}`] = value;
    for (const [key, value] of Object.entries(state.arrays)) joined.arrays[`${part}/${key}`] = value;
  }
  return joined;
}

/** The keys of one part of a joinStates() state, without their `<part>/` prefix. */
export function partState(state: SavedState, part: string): SavedState {
  const prefix = `${part}/`;
  const pick = <T>(record: Record<string, T>) =>
    Object.fromEntries(
      Object.entries(record)
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length), value]),
    );
  return { scalars: pick(state.scalars), arrays: pick(state.arrays) };
}
