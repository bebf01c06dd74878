/** The critic's loss, shared by every algorithm here. */

/**
 * Mean over m samples of ½(v - R)², or with `clipRange` PPO's clipped form
 * ½·max((v - R)², (v_old + clip(v - v_old, ±clipRange) - R)²). Writes dValues[i] = coef · d(mean)/dv_i
 * and returns the mean (unscaled). values, returns, oldValues, dValues: [m].
 */
export function valueLoss(
  values: Float32Array,
  returns: Float32Array,
  oldValues: Float32Array,
  m: number,
  clipRange: number | null,
  coef: number,
  dValues: Float32Array,
): number {
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const v = values[i],
      target = returns[i],
      vOld = oldValues[i];
    const unclippedErr = v - target;
    if (clipRange !== null) {
      const delta = Math.min(Math.max(v - vOld, -clipRange), clipRange);
      const clippedErr = vOld + delta - target;
      const useUnclipped = unclippedErr * unclippedErr >= clippedErr * clippedErr;
      sum += 0.5 * Math.max(unclippedErr * unclippedErr, clippedErr * clippedErr);
      const insideClip = Math.abs(v - vOld) < clipRange;
      dValues[i] = (coef / m) * (useUnclipped ? unclippedErr : insideClip ? clippedErr : 0);
    } else {
      sum += 0.5 * unclippedErr * unclippedErr;
      dValues[i] = (coef / m) * unclippedErr;
    }
  }
  return sum / m;
}
