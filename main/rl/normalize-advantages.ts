/**
 * advantages [M] <- (advantages - mean) / (std + 1e-8), in place, with the unbiased (n - 1) std of
 * torch.std, as CleanRL normalizes each minibatch. Sums in float64.
 * A single value becomes 0 (torch would give NaN: the unbiased std of one value is undefined).
 */
export function normalizeAdvantages(advantages: Float32Array): void {
  const n = advantages.length;
  if (n === 0) return;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += advantages[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (advantages[i] - mean) ** 2;
  const std = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  const scale = 1 / (std + 1e-8);
  for (let i = 0; i < n; i++) advantages[i] = (advantages[i] - mean) * scale;
}
