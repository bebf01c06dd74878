/**
 * One run's folder: run.json, the metrics and events logs, checkpoints, trajectories and videos.
 * One process writes a run at a time (its trainer, or the Lab while none runs); any may read it.
 */
import path from 'node:path';
import { z } from 'zod';
import { JsonlLog } from './jsonl.ts';
import { listCheckpoints, loadCheckpoint, writeCheckpoint, type Checkpoint, type LoadedCheckpoint } from './checkpoint.ts';
import { writeRunInfo, type RunInfo } from './run-info.ts';
import { listTrajectories, readTrajectory, writeTrajectory, type SavedTrajectory, type TrajectoryInfo } from './trajectory-file.ts';

/** One row per update; JSON has no NaN or Infinity, so those are written as null. */
export type MetricsRow = Record<string, number | null>;
const metricsRowSchema = z.record(z.string(), z.number().nullable());

/** An annotation on the run's charts: a hyperparameter change, pause, fork, error... */
export interface RunEvent {
  type: string;
  step: number;
  wallSeconds: number;
  [key: string]: unknown;
}
const runEventSchema = z.looseObject({ type: z.string().min(1), step: z.number(), wallSeconds: z.number() });

/** What `updateInfo` may change; `updatedAt` is set by it, `id` and `createdAt` never change. */
export type RunInfoPatch = Partial<Omit<RunInfo, 'id' | 'createdAt' | 'updatedAt'>>;

/** The folders inside a run's folder (created with the run). */
export function runFolders(runDir: string): { checkpoints: string; trajectories: string; videos: string } {
  return {
    checkpoints: path.join(runDir, 'checkpoints'),
    trajectories: path.join(runDir, 'trajectories'),
    videos: path.join(runDir, 'videos'),
  };
}

export class RunHandle {
  /** Recorded episodes (compact binary, see trajectory-file.ts). */
  readonly trajectoriesDir: string;
  readonly videosDir: string;
  private readonly checkpointsDir: string;
  private readonly metrics: JsonlLog<typeof metricsRowSchema>;
  private readonly events: JsonlLog<typeof runEventSchema>;
  private current: RunInfo;

  /** Use RunStore.createRun / openRun; `info` must be this folder's validated run.json. */
  constructor(
    readonly dir: string,
    info: RunInfo,
    private readonly keepCheckpoints: number,
  ) {
    const folders = runFolders(dir);
    this.checkpointsDir = folders.checkpoints;
    this.trajectoriesDir = folders.trajectories;
    this.videosDir = folders.videos;
    this.metrics = new JsonlLog(path.join(dir, 'metrics.jsonl'), metricsRowSchema);
    this.events = new JsonlLog(path.join(dir, 'events.jsonl'), runEventSchema);
    this.current = info;
  }

  get info(): RunInfo {
    return this.current;
  }

  /** Merges `patch` (a key set to undefined is removed) and rewrites run.json atomically. */
  updateInfo(patch: RunInfoPatch): void {
    this.current = writeRunInfo(this.dir, { ...this.current, ...patch, updatedAt: new Date().toISOString() });
  }

  appendMetrics(row: MetricsRow): void {
    this.metrics.append(row);
  }

  appendEvent(event: RunEvent): void {
    this.events.append(event);
  }

  readMetrics(): MetricsRow[] {
    return this.metrics.read();
  }

  readEvents(): RunEvent[] {
    return this.events.read();
  }

  /**
   * Drops metrics rows and events after `step` (a resume from the checkpoint at `step` trains them
   * again), so each log holds one history with steps increasing. Nothing to drop: nothing written.
   */
  rewindTo(step: number): void {
    this.metrics.keepWhile((row) => (row.step ?? -Infinity) <= step);
    this.events.keepWhile((event) => event.step <= step);
  }

  /** Atomic; keeps the latest checkpoints (RunStore's `keepCheckpoints`, this one among them) and the milestones. */
  writeCheckpoint(step: number, checkpoint: Checkpoint): void {
    writeCheckpoint(this.checkpointsDir, step, checkpoint, this.keepCheckpoints);
  }

  /** Steps of the complete checkpoints, ascending. */
  listCheckpoints(): number[] {
    return listCheckpoints(this.checkpointsDir);
  }

  /** The checkpoint at `step`, or the latest complete one; a damaged one is an error naming the file. */
  loadCheckpoint(step?: number): LoadedCheckpoint {
    return loadCheckpoint(this.checkpointsDir, step);
  }

  /** Stores a recorded episode atomically; returns its name (from its kind, step and seed or episode). */
  writeTrajectory(trajectory: SavedTrajectory): string {
    return writeTrajectory(this.trajectoriesDir, trajectory);
  }

  /** The stored episodes' headers, by training step. */
  listTrajectories(): TrajectoryInfo[] {
    return listTrajectories(this.trajectoriesDir);
  }

  readTrajectory(name: string): SavedTrajectory {
    return readTrajectory(this.trajectoriesDir, name);
  }
}
