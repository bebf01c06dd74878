/** Observation and action spaces, Gymnasium's `Box` and `Discrete`. */

export interface BoxSpace {
  readonly kind: 'box';
  /** Number of components (GaitLab's spaces are flat vectors). */
  readonly size: number;
  /** Per-component bounds; ±Infinity where unbounded. */
  readonly low: Float64Array;
  readonly high: Float64Array;
}

export interface DiscreteSpace {
  readonly kind: 'discrete';
  /** Actions are the integers 0..n-1, passed as a length-1 vector. */
  readonly n: number;
}

export type Space = BoxSpace | DiscreteSpace;

export function box(low: ArrayLike<number>, high: ArrayLike<number>): BoxSpace {
  if (low.length !== high.length) throw new Error(`box: low has ${low.length} components but high has ${high.length}`);
  return { kind: 'box', size: low.length, low: Float64Array.from(low), high: Float64Array.from(high) };
}

export function uniformBox(size: number, low: number, high: number): BoxSpace {
  return box(new Array<number>(size).fill(low), new Array<number>(size).fill(high));
}

export function discrete(n: number): DiscreteSpace {
  return { kind: 'discrete', n };
}

/** Length of the action vector an agent sends for this space. */
export function actionSize(space: Space): number {
  return space.kind === 'box' ? space.size : 1;
}
