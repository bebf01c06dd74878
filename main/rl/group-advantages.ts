/**
 * Group-relative advantages (GRPO, Shao et al. 2024; RLOO, Ahmadian et al. 2024) for control: the
 * envs of a group start the rollout from one copied state and act with independent noise, so the
 * other members' returns are a baseline that needs no critic. At step t of env e:
 *
 *   A[t, e] = (G[t, e] - mean_j G[t, j]) / (std_j G[t, j] + eps)   (std only when scaleByStd)
 *
 * where G is the discounted reward-to-go within the rollout (no bootstrap: every member has the
 * same horizon) and j runs over the members still in their first episode at t (leaveOneOut: j != e,
 * RLOO's unbiased baseline). Members' actions are independent, so the baseline never depends on
 * e's own actions. Rows after a member's first episode ended start from another state: they get
 * advantage 0 and do not enter any baseline.
 * Layout: rows t * numEnvs + e; group g holds envs g * groupSize .. (g + 1) * groupSize - 1.
 */
export interface GroupAdvantageArgs {
  /** [T*N] rewards. */
  rewards: Float32Array;
  /** [T*N] 1 where the env's episode ended at that step (terminated or truncated). */
  episodeEnded: Float32Array;
  numSteps: number;
  numEnvs: number;
  groupSize: number;
  gamma: number;
  leaveOneOut: boolean;
  scaleByStd: boolean;
  /** Outputs [T*N]: advantages, and the rewards-to-go they compare (the value targets). */
  advantages: Float32Array;
  returns: Float32Array;
}

const EPS = 1e-8;

export function computeGroupAdvantages(args: GroupAdvantageArgs): void {
  const { rewards, episodeEnded, numSteps: T, numEnvs: n, groupSize, gamma, advantages, returns } = args;
  if (groupSize < 2 || n % groupSize !== 0) throw new Error(`group size ${groupSize} must be at least 2 and divide the ${n} envs`);
  // Rewards-to-go within each episode, and how long each env stays in the episode it started in.
  const firstEpisodeSteps = new Int32Array(n).fill(T);
  for (let e = 0; e < n; e++) {
    let running = 0;
    for (let t = T - 1; t >= 0; t--) {
      const r = t * n + e;
      if (episodeEnded[r]) {
        running = 0;
        firstEpisodeSteps[e] = t + 1;
      }
      running = rewards[r] + gamma * running;
      returns[r] = running;
    }
  }
  advantages.fill(0);
  for (let g = 0; g < n; g += groupSize) {
    for (let t = 0; t < T; t++) {
      let sum = 0,
        sumSq = 0,
        alive = 0;
      for (let e = g; e < g + groupSize; e++) {
        if (t >= firstEpisodeSteps[e]) continue;
        const x = returns[t * n + e];
        sum += x;
        sumSq += x * x;
        alive++;
      }
      if (alive < 2) continue; // nobody to compare with
      const mean = sum / alive;
      const std = Math.sqrt(Math.max(0, sumSq / alive - mean * mean));
      for (let e = g; e < g + groupSize; e++) {
        if (t >= firstEpisodeSteps[e]) continue;
        const x = returns[t * n + e];
        const baseline = args.leaveOneOut ? (sum - x) / (alive - 1) : mean;
        const scale = args.scaleByStd ? std + EPS : 1;
        advantages[t * n + e] = (x - baseline) / scale;
      }
    }
  }
}
