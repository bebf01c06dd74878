/** Update diagnostics shared by the algorithms. */

/** 1 - Var(returns - values) / Var(returns): how much of the return the critic explains (1 is perfect, <= 0 useless). */
export function explainedVariance(values: Float32Array, returns: Float32Array): number {
  const n = returns.length;
  let meanY = 0,
    meanD = 0;
  for (let i = 0; i < n; i++) {
    meanY += returns[i];
    meanD += returns[i] - values[i];
  }
  meanY /= n;
  meanD /= n;
  let varY = 0,
    varD = 0;
  for (let i = 0; i < n; i++) {
    varY += (returns[i] - meanY) ** 2;
    const d = returns[i] - values[i] - meanD;
    varD += d * d;
  }
  return varY === 0 ? Number.NaN : 1 - varD / varY;
}
