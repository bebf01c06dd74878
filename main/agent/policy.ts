/** What evaluation and recorded episodes need of any trained policy, on-policy or off-policy. */
export interface DeterministicPolicy {
  /** Length of one action vector sent to the env. */
  readonly actionSize: number;
  /** The deterministic action (a Gaussian's mean, tanh of it for SAC, μ(s) for DDPG/TD3): obs [B, obsSize] -> actions [B, actionSize]. */
  actDeterministic(obs: Float32Array, batch: number, actions: Float32Array): void;
}
