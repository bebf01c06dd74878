/**
 * Categorical distribution over n actions from unnormalized logits [B, n] (Discrete action spaces).
 * Actions [B] hold the action index as a float (they share the rollout's Float32Array buffers).
 * Per-sample values are [B]. The *Backward functions are vector-Jacobian products: given
 * dLoss/d(per-sample value) they ADD dLoss/dLogits [B, n] into the caller's (zeroed) buffer.
 * Everything is computed from log-softmax in float64, so large logits do not overflow.
 */

/** log Σ_k exp(logits[row, k]), the log-softmax normalizer of one row. */
function logSumExp(logits: Float32Array, offset: number, n: number): number {
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, logits[offset + k]);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp(logits[offset + k] - max);
  return max + Math.log(sum);
}

/** out[B] = log p(actions[b]). */
export function logProb(logits: Float32Array, batch: number, n: number, actions: Float32Array, out: Float32Array): void {
  for (let b = 0, row = 0; b < batch; b++, row += n) out[b] = logits[row + actions[b]] - logSumExp(logits, row, n);
}

/** dLogProb [B] -> adds into dLogits [B, n]: d log p(a) / d logit_k = [k = a] - p_k. */
export function logProbBackward(logits: Float32Array, batch: number, n: number, actions: Float32Array, dLogProb: Float32Array, dLogits: Float32Array): void {
  for (let b = 0, row = 0; b < batch; b++, row += n) {
    const lse = logSumExp(logits, row, n);
    for (let k = 0; k < n; k++) dLogits[row + k] -= dLogProb[b] * Math.exp(logits[row + k] - lse);
    dLogits[row + actions[b]] += dLogProb[b];
  }
}

/** out[B] = -Σ_k p_k log p_k. */
export function entropy(logits: Float32Array, batch: number, n: number, out: Float32Array): void {
  for (let b = 0, row = 0; b < batch; b++, row += n) {
    const lse = logSumExp(logits, row, n);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const logP = logits[row + k] - lse;
      sum -= Math.exp(logP) * logP;
    }
    out[b] = sum;
  }
}

/** dEntropy [B] -> adds into dLogits [B, n]: d H / d logit_k = -p_k (log p_k + H). */
export function entropyBackward(logits: Float32Array, batch: number, n: number, dEntropy: Float32Array, dLogits: Float32Array): void {
  for (let b = 0, row = 0; b < batch; b++, row += n) {
    const lse = logSumExp(logits, row, n);
    let h = 0;
    for (let k = 0; k < n; k++) {
      const logP = logits[row + k] - lse;
      h -= Math.exp(logP) * logP;
    }
    for (let k = 0; k < n; k++) {
      const logP = logits[row + k] - lse;
      dLogits[row + k] -= dEntropy[b] * Math.exp(logP) * (logP + h);
    }
  }
}

/** out[B] = KL(old || new) = Σ_k pOld_k (log pOld_k - log pNew_k). */
export function kl(logitsOld: Float32Array, logitsNew: Float32Array, batch: number, n: number, out: Float32Array): void {
  for (let b = 0, row = 0; b < batch; b++, row += n) {
    const lseOld = logSumExp(logitsOld, row, n),
      lseNew = logSumExp(logitsNew, row, n);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const logPOld = logitsOld[row + k] - lseOld;
      sum += Math.exp(logPOld) * (logPOld - (logitsNew[row + k] - lseNew));
    }
    out[b] = sum;
  }
}

/** dKl [B] -> adds into dLogitsNew [B, n]: d KL / d logitNew_k = pNew_k - pOld_k. */
export function klBackward(logitsOld: Float32Array, logitsNew: Float32Array, batch: number, n: number, dKl: Float32Array, dLogitsNew: Float32Array): void {
  for (let b = 0, row = 0; b < batch; b++, row += n) {
    const lseOld = logSumExp(logitsOld, row, n),
      lseNew = logSumExp(logitsNew, row, n);
    for (let k = 0; k < n; k++) {
      dLogitsNew[row + k] += dKl[b] * (Math.exp(logitsNew[row + k] - lseNew) - Math.exp(logitsOld[row + k] - lseOld));
    }
  }
}

/** out[B] = an action index per row, by inverting the CDF at one `uniform` draw ([0, 1)) per row. */
export function sample(logits: Float32Array, batch: number, n: number, uniform: () => number, out: Float32Array): void {
  for (let b = 0, row = 0; b < batch; b++, row += n) {
    const lse = logSumExp(logits, row, n);
    const u = uniform();
    let cumulative = 0,
      action = n - 1; // the last action also absorbs rounding of the CDF below 1
    for (let k = 0; k < n - 1; k++) {
      cumulative += Math.exp(logits[row + k] - lse);
      if (u < cumulative) {
        action = k;
        break;
      }
    }
    out[b] = action;
  }
}
