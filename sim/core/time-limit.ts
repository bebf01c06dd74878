/** Gymnasium's TimeLimit: truncates (not terminates) an episode after maxEpisodeSteps. */
import type { Env, EnvSnapshot, EnvSpec, ResetOptions, StepResult } from './env.ts';
import type { Frame, Scene } from './scene.ts';

export class TimeLimit implements Env {
  readonly spec: EnvSpec;
  private elapsed = 0;

  constructor(
    private readonly env: Env,
    readonly maxEpisodeSteps: number,
  ) {
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new Error(`maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
    }
    this.spec = { ...env.spec, maxEpisodeSteps };
  }

  get scene(): Scene {
    return this.env.scene;
  }

  reset(options?: ResetOptions) {
    this.elapsed = 0;
    return this.env.reset(options);
  }

  step(action: ArrayLike<number>): StepResult {
    const result = this.env.step(action);
    this.elapsed++;
    if (this.elapsed >= this.maxEpisodeSteps) result.truncated = true;
    return result;
  }

  frame(out?: Frame): Frame {
    return this.env.frame(out);
  }

  saveState(): EnvSnapshot {
    return { inner: this.env.saveState(), elapsed: this.elapsed };
  }

  loadState(snapshot: EnvSnapshot): void {
    this.env.loadState(snapshot.inner as EnvSnapshot);
    this.elapsed = snapshot.elapsed as number;
  }

  close(): void {
    this.env.close();
  }
}
