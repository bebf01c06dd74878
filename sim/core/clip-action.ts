/** Gymnasium's ClipAction: clips a Box action to its bounds before the env sees it. */
import type { Env, StepResult } from './env.ts';
import type { BoxSpace } from './spaces.ts';
import { EnvWrapper } from './wrappers.ts';

export class ClipAction extends EnvWrapper {
  private readonly space: BoxSpace;
  /** Reused so clipping allocates nothing per step. */
  private readonly clipped: Float64Array;

  constructor(env: Env) {
    super(env);
    const space = env.spec.actionSpace;
    if (space.kind !== 'box') throw new Error(`ClipAction needs a Box action space; ${env.spec.id} has a ${space.kind} one`);
    this.space = space;
    this.clipped = new Float64Array(space.size);
  }

  override step(action: ArrayLike<number>): StepResult {
    const { low, high, size } = this.space;
    if (action.length !== size) throw new Error(`${this.spec.id}: action must have ${size} components, got ${action.length}`);
    for (let k = 0; k < size; k++) this.clipped[k] = Math.min(Math.max(action[k], low[k]), high[k]);
    return this.env.step(this.clipped);
  }
}
