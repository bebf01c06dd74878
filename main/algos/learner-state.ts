/**
 * How an off-policy learner appears in a checkpoint: each network's parameters as
 * `params/<name>`, each optimizer's moments as `optimizer/<part>/...` and its step as `<part>/step`,
 * beside the learner's own counters.
 */
import type { Adam } from '../rl/adam.ts';
import { joinStates, partState } from './optimizer-step.ts';

export interface LearnerState {
  scalars: Record<string, number>;
  arrays: Record<string, Float32Array>;
}

/** A network, or a bare parameter array such as SAC's log α. */
export interface ParamSet {
  readonly params: Float32Array;
  /** Called after a restore (the tfjs engine re-uploads). */
  paramsChanged?(): void;
}

export type SavedLearnerState = { scalars: Record<string, number>; arrays: Record<string, Float32Array | Float64Array> };

/** The networks' live parameter arrays (not copies: checkpoints are written at once) and copies of the optimizers' states. */
export function saveLearner(networks: Record<string, ParamSet>, optimizers: Record<string, Adam>, counters: Record<string, number>): LearnerState {
  const joined = joinStates(Object.fromEntries(Object.entries(optimizers).map(([part, optimizer]) => [part, optimizer.getState()])));
  const params = Object.fromEntries(Object.entries(networks).map(([name, net]) => [`params/${name}`, net.params]));
  return { scalars: { ...joined.scalars, ...counters }, arrays: { ...params, ...prefixKeys('optimizer/', joined.arrays) } };
}

/** Restores networks and optimizers, or throws naming the first network the checkpoint does not fit. Counters are the caller's. */
export function loadLearner(state: SavedLearnerState, networks: Record<string, ParamSet>, optimizers: Record<string, Adam>): void {
  for (const [name, net] of Object.entries(networks)) {
    const saved = state.arrays[`params/${name}`];
    if (saved?.length !== net.params.length) {
      throw new Error(
        `checkpoint has no matching "params/${name}" (expected ${net.params.length} values, found ${saved?.length ?? 'none'}): was it written for another network shape?`,
      );
    }
  }
  const optimizerStates = partState(state, 'optimizer');
  for (const [part, optimizer] of Object.entries(optimizers)) {
    optimizer.setState({ scalars: partState(state, part).scalars, arrays: partState(optimizerStates, part).arrays });
  }
  for (const [name, net] of Object.entries(networks)) {
    net.params.set(state.arrays[`params/${name}`]);
    net.paramsChanged?.();
  }
}

export function prefixKeys<T>(prefix: string, record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [prefix + key, value]));
}
