/**
 * Diagonal Gaussian policy with a state-independent log-std (CleanRL's continuous PPO):
 * a ~ N(mean(s), diag(exp(logStd)²)). Shapes: mean and actions [B, A], logStd [A], per-sample
 * values [B]. The *Backward functions are vector-Jacobian products: given dLoss/d(per-sample value)
 * they ADD dLoss/dMean [B, A] and dLoss/dLogStd [A] into the caller's (zeroed) buffers, so losses
 * made of several terms accumulate.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** out[B] = log N(actions | mean, exp(logStd)), summed over the A action dimensions. */
export function logProb(mean: Float32Array, logStd: Float32Array, actions: Float32Array, batch: number, out: Float32Array): void {
  const a = logStd.length;
  let normalizer = 0;
  for (let k = 0; k < a; k++) normalizer += logStd[k] + LOG_SQRT_2PI;
  out.fill(-normalizer, 0, batch);
  // Dimension-major, so exp(-logStd) is taken once per dimension rather than once per value.
  for (let k = 0; k < a; k++) {
    const invStd = Math.exp(-logStd[k]);
    for (let b = 0, i = k; b < batch; b++, i += a) {
      const z = (actions[i] - mean[i]) * invStd;
      out[b] -= 0.5 * z * z;
    }
  }
}

/**
 * dLogProb [B] -> adds into dMean [B, A] and dLogStd [A]:
 * d logProb / d mean = (a - mean) / σ², d logProb / d logStd = ((a - mean) / σ)² - 1.
 */
export function logProbBackward(
  mean: Float32Array,
  logStd: Float32Array,
  actions: Float32Array,
  batch: number,
  dLogProb: Float32Array,
  dMean: Float32Array,
  dLogStd: Float32Array,
): void {
  const a = logStd.length;
  for (let k = 0; k < a; k++) {
    const invStd = Math.exp(-logStd[k]);
    let dLogStdK = 0;
    for (let b = 0, i = k; b < batch; b++, i += a) {
      const z = (actions[i] - mean[i]) * invStd;
      dMean[i] += dLogProb[b] * z * invStd;
      dLogStdK += dLogProb[b] * (z * z - 1);
    }
    dLogStd[k] += dLogStdK;
  }
}

/** Entropy of the distribution, the same in every state: Σ_k (1/2 + log √(2π) + logStd_k). */
export function entropy(logStd: Float32Array): number {
  let sum = 0;
  for (let k = 0; k < logStd.length; k++) sum += 0.5 + LOG_SQRT_2PI + logStd[k];
  return sum;
}

/** d entropy / d logStd_k = 1: adds dEntropy (dLoss/dEntropy summed over the batch) into dLogStd [A]. */
export function entropyBackward(dEntropy: number, dLogStd: Float32Array): void {
  for (let k = 0; k < dLogStd.length; k++) dLogStd[k] += dEntropy;
}

/**
 * out[B] = KL(old || new) per sample:
 * Σ_k logStdNew - logStdOld + (σOld² + (meanOld - meanNew)²) / (2 σNew²) - 1/2.
 */
export function kl(meanOld: Float32Array, logStdOld: Float32Array, meanNew: Float32Array, logStdNew: Float32Array, batch: number, out: Float32Array): void {
  const a = logStdNew.length;
  out.fill(0, 0, batch);
  for (let k = 0; k < a; k++) {
    const invStd = Math.exp(-logStdNew[k]);
    // The mean-independent part, grouped so every term added is >= 0: a small KL keeps its digits.
    const perDimension = logStdNew[k] - logStdOld[k] + 0.5 * (Math.exp(2 * (logStdOld[k] - logStdNew[k])) - 1);
    for (let b = 0, i = k; b < batch; b++, i += a) {
      const z = (meanOld[i] - meanNew[i]) * invStd;
      out[b] += perDimension + 0.5 * z * z;
    }
  }
}

/**
 * dKl [B] -> adds into dMeanNew [B, A] and dLogStdNew [A], the gradient w.r.t. the new distribution:
 * d KL / d meanNew = (meanNew - meanOld) / σNew², d KL / d logStdNew = 1 - (σOld² + (meanOld - meanNew)²) / σNew².
 */
export function klBackward(
  meanOld: Float32Array,
  logStdOld: Float32Array,
  meanNew: Float32Array,
  logStdNew: Float32Array,
  batch: number,
  dKl: Float32Array,
  dMeanNew: Float32Array,
  dLogStdNew: Float32Array,
): void {
  const a = logStdNew.length;
  for (let k = 0; k < a; k++) {
    const invStd = Math.exp(-logStdNew[k]);
    const varRatio = Math.exp(2 * (logStdOld[k] - logStdNew[k]));
    let dLogStdK = 0;
    for (let b = 0, i = k; b < batch; b++, i += a) {
      const z = (meanNew[i] - meanOld[i]) * invStd;
      dMeanNew[i] += dKl[b] * z * invStd;
      dLogStdK += dKl[b] * (1 - varRatio - z * z);
    }
    dLogStdNew[k] += dLogStdK;
  }
}

/** out[B, A] = mean + exp(logStd) · ε, ε from `normal` (standard normal), drawn row by row. */
export function sample(mean: Float32Array, logStd: Float32Array, batch: number, normal: () => number, out: Float32Array): void {
  const a = logStd.length;
  for (let b = 0; b < batch; b++) {
    for (let k = 0, i = b * a; k < a; k++, i++) out[i] = mean[i] + Math.exp(logStd[k]) * normal();
  }
}
