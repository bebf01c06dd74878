/**
 * Plays recorded episodes at real-time speed (times the chosen speed), whatever speed training
 * runs at: the newest training episode waits until the current one has played through; an
 * evaluation or a played checkpoint (asked for by the user) plays at once. A played checkpoint
 * arrives in chunks while it is computed: each longer version of it carries on from the frame on
 * screen, and the last frame so far is held until more come.
 */
import type { EpisodeChunk, TrajectoryMessage } from '../../../main/lab/api.ts';

/** An episode as the viewer gets it: a training or evaluation episode, or (with playId) a played one. */
export interface ViewerEpisode extends TrajectoryMessage {
  /** The Play request it answers; its chunks so far. */
  playId?: number;
  /** False while more of a played episode is coming. */
  complete?: boolean;
}

/**
 * The played episode with its next chunk: `current` made longer when the chunk continues it, a new
 * episode when the chunk starts a newer play, and `current` unchanged when it is of an older one.
 */
export function withChunk(current: ViewerEpisode | null, chunk: EpisodeChunk): ViewerEpisode | null {
  const { playId, frames, rewards, done, ...head } = chunk;
  if (current?.playId !== undefined && playId < current.playId) return current;
  const continues = current?.playId === playId;
  const allRewards = continues ? current.rewards.concat(rewards) : rewards;
  return {
    ...head,
    frames: continues ? current.frames.concat(frames) : frames,
    rewards: allRewards,
    episodeReturn: allRewards.reduce((a, b) => a + b, 0),
    deterministic: true,
    playId,
    complete: done,
  };
}

/** Pause on an episode's last frame before the next one starts. */
const HOLD_SECONDS = 0.6;

export class Playback {
  current: ViewerEpisode | null = null;
  private queued: ViewerEpisode | null = null;
  private returns: Float64Array = new Float64Array(1);
  timeSeconds = 0;
  playing = true;
  speed = 1;

  /** Frames in the episode (steps + 1: the reset pose first). */
  get frameCount(): number {
    return this.current ? this.current.frames.length / (this.current.numBodies * 7) : 0;
  }

  get frameIndex(): number {
    if (!this.current) return 0;
    return Math.min(Math.floor(this.timeSeconds / this.current.dtSeconds), this.frameCount - 1);
  }

  /** Return accumulated up to the shown frame. */
  get returnSoFar(): number {
    return this.returns[this.frameIndex] ?? 0;
  }

  /** True when the episode on screen changed. */
  offer(trajectory: ViewerEpisode): boolean {
    if (this.current && trajectory.playId !== undefined && trajectory.playId === this.current.playId) {
      this.extend(trajectory);
      return false;
    }
    if (this.current && !trajectory.deterministic && trajectory.playId === undefined) {
      this.queued = trajectory;
      return false;
    }
    this.start(trajectory);
    return true;
  }

  /**
   * Moves the clock by `realSeconds` of real time; true when the frame (or the episode) on screen
   * changed. Never backwards: the first animation frame's timestamp can precede the clock reading
   * taken at mount, and a negative time would pose the robot from before its first frame (NaN).
   */
  advance(realSeconds: number): boolean {
    if (!this.current || !this.playing) return false;
    const before = this.frameIndex;
    this.timeSeconds += Math.max(0, realSeconds) * this.speed;
    const end = (this.frameCount - 1) * this.current.dtSeconds;
    if (this.current.complete === false) {
      // The rest of the episode is still being played: wait on the last frame that came.
      this.timeSeconds = Math.min(this.timeSeconds, end);
    } else if (this.timeSeconds > end + HOLD_SECONDS * this.speed) {
      if (this.queued) this.start(this.queued);
      else this.timeSeconds = 0;
      return true;
    }
    return this.frameIndex !== before;
  }

  seek(frame: number): void {
    if (this.current) this.timeSeconds = frame * this.current.dtSeconds;
  }

  private start(trajectory: ViewerEpisode): void {
    this.queued = null;
    this.timeSeconds = 0;
    this.extend(trajectory);
  }

  /** Shows `trajectory` from the same instant: a longer version of the episode on screen, or a new one from its start. */
  private extend(trajectory: ViewerEpisode): void {
    this.current = trajectory;
    this.returns = new Float64Array(trajectory.rewards.length + 1);
    trajectory.rewards.forEach((reward, i) => (this.returns[i + 1] = this.returns[i] + reward));
  }
}
