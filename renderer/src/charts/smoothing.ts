/**
 * TensorBoard's smoothing: an exponential moving average, debiased so the first points are not
 * pulled toward zero. Gaps (null) stay gaps. weight 0 returns the values unchanged.
 */
export function smooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return values.slice();
  let average = 0;
  let count = 0;
  return values.map((value) => {
    if (value === null || !Number.isFinite(value)) return null;
    average = average * weight + (1 - weight) * value;
    count++;
    return average / (1 - weight ** count);
  });
}
