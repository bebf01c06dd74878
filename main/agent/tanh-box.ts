/**
 * CleanRL's action_scale / action_bias: off-policy actors squash their output with tanh into
 * (-1, 1) and map it onto the Box as a = bias + scale · y, so every action they take is valid.
 */
import type { BoxSpace } from '../../sim/index.ts';

export interface TanhBox {
  /** [A] (high - low) / 2 */
  scale: Float32Array;
  /** [A] (high + low) / 2 */
  bias: Float32Array;
}

export function tanhBox(space: BoxSpace): TanhBox {
  for (let k = 0; k < space.size; k++) {
    if (!Number.isFinite(space.low[k]) || !Number.isFinite(space.high[k])) {
      throw new Error(`off-policy actors squash actions into the Box with tanh, but action ${k} is unbounded ([${space.low[k]}, ${space.high[k]}])`);
    }
  }
  return {
    scale: Float32Array.from(space.low, (low, k) => (space.high[k] - low) / 2),
    bias: Float32Array.from(space.low, (low, k) => (space.high[k] + low) / 2),
  };
}
