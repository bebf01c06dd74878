/**
 * RMSprop as torch.optim.RMSprop computes it (not centered, no momentum), which is Stable-Baselines3's
 * A2C optimizer (alpha 0.99, eps 1e-5): v = α v + (1 - α) g²;  p -= lr · g / (√v + eps).
 * Preceded by one global gradient-norm clip over all groups, like Adam here (torch's clip_grad_norm_).
 */
import type { AdamState } from '../rl/adam.ts';
import type { GroupOptimizer } from './optimizer-step.ts';

export interface RmsPropOptions {
  /** Smoothing constant of the squared-gradient average (torch's alpha). */
  alpha?: number;
  /** Added to √v; SB3's A2C uses 1e-5 (torch's default is 1e-8). */
  eps?: number;
}

export class RmsProp implements GroupOptimizer {
  private readonly alpha: number;
  private readonly eps: number;
  /** torch's square_avg per group. */
  private readonly squareAvg: Float32Array[];
  private t = 0;

  constructor(
    private readonly groupSizes: readonly number[],
    options: RmsPropOptions = {},
  ) {
    this.alpha = options.alpha ?? 0.99;
    this.eps = options.eps ?? 1e-5;
    this.squareAvg = groupSizes.map((n) => new Float32Array(n));
  }

  step(params: readonly Float32Array[], grads: readonly Float32Array[], learningRate: number, maxGradNorm: number | null = null): number {
    const ok = (arrays: readonly Float32Array[]) => arrays.length === this.groupSizes.length && arrays.every((a, k) => a.length === this.groupSizes[k]);
    if (!ok(params) || !ok(grads)) throw new Error(`RmsProp was built for groups of sizes [${this.groupSizes.join(', ')}]`);
    let sumSq = 0;
    for (const g of grads) for (let i = 0; i < g.length; i++) sumSq += g[i] * g[i];
    const norm = Math.sqrt(sumSq);
    const scale = maxGradNorm === null ? 1 : Math.min(1, maxGradNorm / (norm + 1e-6));
    this.t++;
    const { alpha, eps } = this;
    for (let k = 0; k < params.length; k++) {
      const p = params[k],
        g = grads[k],
        v = this.squareAvg[k];
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] * scale;
        const vi = (v[i] = alpha * v[i] + (1 - alpha) * gi * gi);
        p[i] -= (learningRate * gi) / (Math.sqrt(vi) + eps);
      }
    }
    return norm;
  }

  getState(): AdamState {
    const arrays: Record<string, Float32Array> = {};
    this.squareAvg.forEach((v, k) => (arrays[`square_avg/${k}`] = v.slice()));
    return { scalars: { step: this.t }, arrays };
  }

  setState(state: { scalars: Record<string, number>; arrays: Record<string, Float32Array | Float64Array> }): void {
    const step = state.scalars.step;
    if (!Number.isInteger(step) || step < 0) throw new Error(`RMSprop state has no valid "step" (found ${String(step)})`);
    this.squareAvg.forEach((target, k) => {
      const saved = state.arrays[`square_avg/${k}`];
      if (!saved || saved.length !== target.length) {
        throw new Error(`RMSprop state "square_avg/${k}" should hold ${target.length} values, found ${saved?.length ?? 'none'}: saved for other networks?`);
      }
    });
    this.squareAvg.forEach((target, k) => target.set(state.arrays[`square_avg/${k}`]));
    this.t = step;
  }
}
