/**
 * The contract between `gaitlab record` (Node) and the record page (renderer/record.html) that
 * renders and encodes a video in a headless browser: what to draw, and the timeline both sides
 * count frames by. Types and pure functions only: the renderer imports this file.
 */
import type { Scene } from '../../sim/core/scene.ts';
import type { CameraStyle } from '../config/record-request.ts';

/** mp4: H.264 ('avc'); webm: VP9. */
export type Container = 'mp4' | 'webm';
export type VideoCodecName = 'avc' | 'vp9';
export const CONTAINER_CODEC: Record<Container, VideoCodecName> = { mp4: 'avc', webm: 'vp9' };

/** One episode to draw. */
export interface RecordClip {
  /** What the overlay calls it, e.g. `step 20.5k` (montage) or `episode 2 / 3`. */
  label: string;
  /** Env steps the policy had trained for. */
  step: number;
  scene: Scene;
  dtSeconds: number;
  /** [steps, bodies * 7]: the pose each step's action was taken from. */
  frames: number[];
  /** [steps] */
  rewards: number[];
}

export interface RecordJob {
  /** Even numbers (H.264 and VP9 encode 4:2:0), at most MAX_WIDTH x MAX_HEIGHT (record-request.ts). */
  width: number;
  height: number;
  /** Video frames per second; null: one video frame per env step, at the env's real-time rate 1/dt. */
  fps: number | null;
  camera: CameraStyle;
  container: Container;
  /** `sequence`: the clips one after another, full frame; `grid`: all at once, side by side (a montage). */
  layout: 'sequence' | 'grid';
  title: { run: string; env: string; algo: string };
  clips: RecordClip[];
}

export interface RecordResult {
  container: Container;
  codec: VideoCodecName;
  width: number;
  height: number;
  fps: number;
  frames: number;
  durationSeconds: number;
  /** Set when the container asked for could not be encoded and another was used; says why. */
  fallback?: string;
}

/**
 * The functions on the record page's window: the page defines `gaitlabRecord`; the recorder
 * exposes the other two (the video's bytes, written where the muxer says, and progress).
 */
export interface RecordPageFunctions {
  gaitlabRecord(job: RecordJob): Promise<RecordResult>;
  gaitlabWrite(position: number, base64: string): Promise<void>;
  gaitlabProgress(done: number, total: number): void;
}

/** The frame rate a job's video plays at. */
export function jobFps(job: Pick<RecordJob, 'fps' | 'clips'>): number {
  return job.fps ?? 1 / job.clips[0].dtSeconds;
}

/** Video frames for a clip of `steps` env steps: one per step, or its duration's worth at the chosen fps. */
export function clipFrameCount(steps: number, dtSeconds: number, fps: number | null): number {
  if (fps === null) return steps;
  return Math.max(1, Math.round(steps * dtSeconds * fps));
}

/** The env step that video frame `k` of a clip shows: the last one begun by time k / fps. */
export function stepAtFrame(k: number, steps: number, dtSeconds: number, fps: number | null): number {
  const step = fps === null ? k : Math.floor(k / (fps * dtSeconds) + 1e-9);
  return Math.max(0, Math.min(steps - 1, step));
}

/** Video frames in the whole job: the clips' in sequence, or the longest clip's in a grid. */
export function jobFrameCount(job: Pick<RecordJob, 'fps' | 'layout'> & { clips: Pick<RecordClip, 'rewards' | 'dtSeconds'>[] }): number {
  const counts = job.clips.map((clip) => clipFrameCount(clip.rewards.length, clip.dtSeconds, job.fps));
  return job.layout === 'grid' ? Math.max(...counts) : counts.reduce((a, b) => a + b, 0);
}
