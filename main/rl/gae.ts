/**
 * Generalized Advantage Estimation (Schulman et al. 2016) over a time-major rollout [T, N]
 * (row t * numEnvs + e), with Gymnasium's split of episode ends: a terminated step has no future
 * value; a truncated one (time limit) bootstraps from V(final observation), which the caller puts
 * in nextValues. Either way the advantage recursion stops at the episode's end.
 */

export interface GaeInput {
  /** [T, N] reward of step t. */
  rewards: Float32Array;
  /** [T, N] V(s_t). */
  values: Float32Array;
  /** [T, N] V(s_{t+1}): the next row's value, or V(final observation) where the episode was truncated; ignored where terminated. */
  nextValues: Float32Array;
  /** [T, N] 1 where s_{t+1} is terminal (no future reward), else 0. */
  terminated: Float32Array;
  /** [T, N] 1 where the episode ended at step t, terminated or truncated, else 0. */
  episodeEnded: Float32Array;
  gamma: number;
  lambda: number;
  numSteps: number;
  numEnvs: number;
  /** [T, N] optional output buffers, reused across rollouts; allocated when absent. */
  advantages?: Float32Array;
  returns?: Float32Array;
}

/**
 * delta_t = r_t + γ V(s_{t+1}) (1 - terminated_t) - V(s_t);
 * A_t = delta_t + γ λ (1 - episodeEnded_t) A_{t+1};  returns_t = A_t + V(s_t).  All [T, N].
 */
export function computeGae(input: GaeInput): { advantages: Float32Array; returns: Float32Array } {
  const { rewards, values, nextValues, terminated, episodeEnded, gamma, lambda, numSteps, numEnvs } = input;
  const rows = numSteps * numEnvs;
  const advantages = input.advantages ?? new Float32Array(rows);
  const returns = input.returns ?? new Float32Array(rows);
  const arrays = { rewards, values, nextValues, terminated, episodeEnded, advantages, returns };
  for (const [name, array] of Object.entries(arrays)) {
    if (array.length !== rows) throw new Error(`computeGae: ${name} has ${array.length} values, expected numSteps x numEnvs = ${rows}`);
  }
  for (let e = 0; e < numEnvs; e++) {
    let next = 0; // A_{t+1}, in float64
    for (let t = numSteps - 1; t >= 0; t--) {
      const i = t * numEnvs + e;
      const delta = rewards[i] + gamma * nextValues[i] * (1 - terminated[i]) - values[i];
      next = delta + gamma * lambda * (1 - episodeEnded[i]) * next;
      advantages[i] = next;
      returns[i] = next + values[i];
    }
  }
  return { advantages, returns };
}
