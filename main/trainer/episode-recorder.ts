/**
 * Records env 0's training episodes for the live viewer: one body pose per step (the pose the
 * action was taken from) and the raw reward. Finished episodes are handed on at most once per
 * `intervalMs` of wall time; the viewer plays in real time, so newer ones would only be skipped.
 */
import type { VecEnv, VecStepResult } from '../../sim/index.ts';
import type { TrajectoryMessage } from '../lab/protocol.ts';

export class EpisodeRecorder {
  private frames: number[] = [];
  private rewards: number[] = [];
  private lastEmitMs = -Infinity;
  private readonly frame: Float32Array;

  constructor(
    private readonly env: VecEnv,
    private readonly emit: (trajectory: TrajectoryMessage) => void,
    private readonly intervalMs = 1000,
  ) {
    this.frame = new Float32Array(env.scene.bodies.length * 7);
    this.capture();
  }

  /** After each vector step; `rawReward` is env 0's reward before normalization. */
  observe(result: VecStepResult, rawReward: number, position: { update: number; step: number }): void {
    this.rewards.push(rawReward);
    if (result.terminated[0] || result.truncated[0]) {
      const now = performance.now();
      if (now - this.lastEmitMs >= this.intervalMs) {
        this.lastEmitMs = now;
        this.emit(trajectoryMessage(this.env, this.frames, this.rewards, position, false));
      }
      this.frames = [];
      this.rewards = [];
    }
    // After an auto-reset this is already the first pose of the next episode.
    this.capture();
  }

  private capture(): void {
    const f = this.env.frame(0, this.frame);
    for (let i = 0; i < f.length; i++) this.frames.push(f[i]);
  }
}

export function trajectoryMessage(
  env: Pick<VecEnv, 'spec' | 'scene'>,
  frames: number[],
  rewards: number[],
  position: { update: number; step: number },
  deterministic: boolean,
): TrajectoryMessage {
  return {
    envId: env.spec.id,
    dtSeconds: env.spec.dtSeconds,
    numBodies: env.scene.bodies.length,
    frames,
    rewards,
    update: position.update,
    step: position.step,
    episodeReturn: rewards.reduce((a, b) => a + b, 0),
    deterministic,
  };
}
