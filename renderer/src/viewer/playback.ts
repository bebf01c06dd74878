/**
 * Plays recorded episodes at real-time speed (times the chosen speed), whatever speed training
 * runs at: the newest training episode waits until the current one has played through; an
 * evaluation (asked for by the user) plays at once.
 */
import type { TrajectoryMessage } from '../../../main/lab/api.ts';

/** Pause on an episode's last frame before the next one starts. */
const HOLD_SECONDS = 0.6;

export class Playback {
  current: TrajectoryMessage | null = null;
  private queued: TrajectoryMessage | null = null;
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
  offer(trajectory: TrajectoryMessage): boolean {
    if (this.current && !trajectory.deterministic) {
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
    if (this.timeSeconds > end + HOLD_SECONDS * this.speed) {
      if (this.queued) this.start(this.queued);
      else this.timeSeconds = 0;
      return true;
    }
    return this.frameIndex !== before;
  }

  seek(frame: number): void {
    if (this.current) this.timeSeconds = frame * this.current.dtSeconds;
  }

  private start(trajectory: TrajectoryMessage): void {
    this.current = trajectory;
    this.queued = null;
    this.timeSeconds = 0;
    this.returns = new Float64Array(trajectory.rewards.length + 1);
    trajectory.rewards.forEach((reward, i) => (this.returns[i + 1] = this.returns[i] + reward));
  }
}
