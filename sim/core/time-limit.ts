/**
 * Gymnasium's TimeLimit: after maxEpisodeSteps steps the episode is truncated, not terminated,
 * so learners bootstrap from the last observation instead of treating it as a terminal state.
 */
import type { Env, EnvSnapshot, EnvSpec, ResetOptions, StepInfo, StepResult } from './env.ts';
import { EnvWrapper } from './wrappers.ts';

export class TimeLimit extends EnvWrapper {
  private readonly limitedSpec: EnvSpec;
  private elapsedSteps = 0;

  constructor(
    env: Env,
    readonly maxEpisodeSteps: number = env.spec.maxEpisodeSteps,
  ) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new Error(`maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
    }
    this.limitedSpec = { ...env.spec, maxEpisodeSteps };
  }

  override get spec(): EnvSpec {
    return this.limitedSpec;
  }

  override reset(options?: ResetOptions): { obs: Float64Array; info: StepInfo } {
    this.elapsedSteps = 0;
    return this.env.reset(options);
  }

  /** Like Gymnasium, a step that both terminates and hits the limit reports both flags. */
  override step(action: ArrayLike<number>): StepResult {
    const result = this.env.step(action);
    this.elapsedSteps++;
    if (this.elapsedSteps >= this.maxEpisodeSteps) result.truncated = true;
    return result;
  }

  override saveState(): EnvSnapshot {
    return { inner: this.env.saveState(), elapsedSteps: this.elapsedSteps };
  }

  override loadState(snapshot: EnvSnapshot): void {
    this.env.loadState(snapshot.inner as EnvSnapshot);
    this.elapsedSteps = snapshot.elapsedSteps as number;
  }
}
