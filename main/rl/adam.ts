/**
 * Adam (Kingma & Ba 2015) exactly as torch.optim.Adam computes it, over several flat parameter
 * groups, preceded by one global gradient-norm clip over all of them (torch's clip_grad_norm_).
 * CleanRL's PPO uses eps 1e-5 and clips actor and critic together, hence one optimizer for all groups.
 */

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  /** Added to the bias-corrected sqrt(v); CleanRL's PPO uses 1e-5 (torch's default is 1e-8). */
  eps?: number;
}

/** Serializable optimizer state: `step` plus torch's exp_avg / exp_avg_sq per group. */
export interface AdamState {
  scalars: Record<string, number>;
  arrays: Record<string, Float32Array>;
}

export class Adam {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  /** First and second moment estimates per group, float32 like torch's. */
  private readonly expAvg: Float32Array[];
  private readonly expAvgSq: Float32Array[];
  /** Updates taken so far: Adam's t. */
  private t = 0;

  constructor(
    private readonly groupSizes: readonly number[],
    options: AdamOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-5;
    this.expAvg = groupSizes.map((n) => new Float32Array(n));
    this.expAvgSq = groupSizes.map((n) => new Float32Array(n));
  }

  /**
   * One update of every group in place. Clips the global L2 norm of all gradients to maxGradNorm
   * (null: no clip) like clip_grad_norm_, then applies Adam with this step's learning rate.
   * Returns the gradient norm before clipping. `grads` are read, not modified.
   */
  step(params: readonly Float32Array[], grads: readonly Float32Array[], learningRate: number, maxGradNorm: number | null = null): number {
    this.checkShapes(params, 'params');
    this.checkShapes(grads, 'grads');
    let sumSq = 0;
    for (const g of grads) for (let i = 0; i < g.length; i++) sumSq += g[i] * g[i];
    const norm = Math.sqrt(sumSq);
    // torch: clip_coef = max_norm / (norm + 1e-6), clamped to at most 1.
    const scale = maxGradNorm === null ? 1 : Math.min(1, maxGradNorm / (norm + 1e-6));

    this.t++;
    const { beta1, beta2, eps } = this;
    const stepSize = learningRate / (1 - beta1 ** this.t);
    const sqrtBiasCorrection2 = Math.sqrt(1 - beta2 ** this.t);
    for (let k = 0; k < params.length; k++) {
      const p = params[k],
        g = grads[k],
        m = this.expAvg[k],
        v = this.expAvgSq[k];
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] * scale;
        const mi = (m[i] = beta1 * m[i] + (1 - beta1) * gi);
        const vi = (v[i] = beta2 * v[i] + (1 - beta2) * gi * gi);
        p[i] -= (stepSize * mi) / (Math.sqrt(vi) / sqrtBiasCorrection2 + eps);
      }
    }
    return norm;
  }

  /** A copy of the state, for checkpoints. */
  getState(): AdamState {
    const arrays: Record<string, Float32Array> = {};
    this.groupSizes.forEach((_, k) => {
      arrays[`exp_avg/${k}`] = this.expAvg[k].slice();
      arrays[`exp_avg_sq/${k}`] = this.expAvgSq[k].slice();
    });
    return { scalars: { step: this.t }, arrays };
  }

  setState(state: { scalars: Record<string, number>; arrays: Record<string, Float32Array | Float64Array> }): void {
    const step = state.scalars.step;
    if (!Number.isInteger(step) || step < 0) throw new Error(`Adam state has no valid "step" (found ${String(step)})`);
    const moments = this.groupSizes.flatMap((n, k) => [[`exp_avg/${k}`, this.expAvg[k]] as const, [`exp_avg_sq/${k}`, this.expAvgSq[k]] as const]);
    for (const [name, target] of moments) {
      const saved = state.arrays[name];
      if (!saved || saved.length !== target.length) {
        throw new Error(`Adam state "${name}" should hold ${target.length} values, found ${saved?.length ?? 'none'}: saved for other networks?`);
      }
    }
    for (const [name, target] of moments) target.set(state.arrays[name]);
    this.t = step;
  }

  private checkShapes(arrays: readonly Float32Array[], what: string): void {
    const ok = arrays.length === this.groupSizes.length && arrays.every((a, k) => a.length === this.groupSizes[k]);
    if (!ok) {
      throw new Error(
        `Adam was built for groups of sizes [${this.groupSizes.join(', ')}] but got ${what} of sizes [${arrays.map((a) => a.length).join(', ')}]`,
      );
    }
  }
}
