/**
 * One run's folder: run.json, the metrics and events logs, checkpoints, trajectories and videos.
 * One process writes a run at a time (its trainer, holding the run's lock, see run-lock.ts; or the
 * Lab while none runs); any may read it.
 */
import path from 'node:path';
import { z } from 'zod';
import { JsonlLog, JsonlTail } from './jsonl.ts';
import {
  discardCheckpointsAfter,
  listCheckpoints,
  loadCheckpoint,
  loadNewestIntactCheckpoint,
  writeCheckpoint,
  type Checkpoint,
  type DamagedCheckpoint,
  type LoadedCheckpoint,
} from './checkpoint.ts';
import { assertNoOtherWriter, RunLock } from './run-lock.ts';
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
  private lock: RunLock | null = null;

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

  /**
   * Makes this handle the run's one writer (see run-lock.ts) until `unlock` or exit; true if it
   * took the lock now, false if it held it already. Another live writer: a RunLockedError naming it.
   */
  lockForWriting(): boolean {
    if (this.lock) return false;
    this.lock = RunLock.acquire(this.dir);
    return true;
  }

  unlock(): void {
    this.lock?.release();
    this.lock = null;
  }

  /**
   * Merges `patch` (a key set to undefined is removed) and rewrites run.json atomically. Refused
   * while another process writes the run, so a refused command never changes its status.
   */
  updateInfo(patch: RunInfoPatch): void {
    if (!this.lock) assertNoOtherWriter(this.dir);
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

  /** metrics.jsonl read as another process appends to it. */
  tailMetrics(): JsonlTail<typeof metricsRowSchema> {
    return new JsonlTail(this.metrics.file, metricsRowSchema);
  }

  /** events.jsonl read as another process appends to it. */
  tailEvents(): JsonlTail<typeof runEventSchema> {
    return new JsonlTail(this.events.file, runEventSchema);
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

  /** The newest checkpoint that loads whole (null if there is none) and the newer, damaged ones passed over. */
  loadNewestIntactCheckpoint(): { checkpoint: LoadedCheckpoint | null; damaged: DamagedCheckpoint[] } {
    return loadNewestIntactCheckpoint(this.checkpointsDir);
  }

  /**
   * Makes the run's history end at `step`, where training resumes: deletes the checkpoints past it
   * and the metrics rows and events past it (left by a kill after the last checkpoint), so every
   * file holds one history. Checkpoints go first: a kill in between leaves `step` the newest, and
   * the next resume drops the same rows. Needs the lock.
   */
  rewindTo(step: number): { checkpoints: number[]; metricsRows: number; events: number } {
    if (!this.lock) throw new Error(`run ${this.current.id}: rewindTo needs the run's lock (lockForWriting)`);
    const checkpoints = discardCheckpointsAfter(this.checkpointsDir, step);
    const metricsRows = this.metrics.retain((row) => (row.step ?? 0) <= step);
    const events = this.events.retain((event) => event.step <= step);
    return { checkpoints, metricsRows, events };
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
