/**
 * Video schedules at work (see video-schedule.ts): each checkpoint or stored training episode a
 * run's schedule asks for becomes a recording, queued and started one at a time through VideoJobs
 * (a recording plays episodes and drives a headless browser, and the cores are for training).
 * The Lab and `gaitlab train` feed it what their trainers report.
 */
import path from 'node:path';
import type { RunHandle } from '../store/run-store.ts';
import type { RecordRequest } from '../config/record-request.ts';
import type { VideoJobs } from './video-jobs.ts';
import { updatesDue, type VideoSchedule } from '../config/video-schedule.ts';

interface Scheduled {
  run: RunHandle;
  schedule: VideoSchedule;
  /** The update of the last checkpoint seen, or the one the schedule began at. */
  lastUpdate: number;
  /** Stored episodes queued so far, by trajectory name: each is recorded once. */
  episodes: Set<string>;
}

export class ScheduledVideos {
  private readonly runs = new Map<string, Scheduled>();
  private readonly queue: { run: RunHandle; request: RecordRequest }[] = [];

  constructor(
    private readonly jobs: Pick<VideoJobs, 'busy' | 'start' | 'list'>,
    private readonly warn: (message: string) => void = (message) => console.warn(`gaitlab: ${message}`),
  ) {}

  /** Follows the run's schedule from `update` (where its trainer is) on; null stops it and drops the run's queued videos. */
  set(run: RunHandle, schedule: VideoSchedule | null, update: number): void {
    const runId = run.info.id;
    this.queue.splice(0, this.queue.length, ...this.queue.filter((item) => item.run.info.id !== runId));
    if (schedule) this.runs.set(runId, { run, schedule, lastUpdate: update, episodes: new Set() });
    else this.runs.delete(runId);
  }

  /** Follows no schedule any more and drops every queued video (the Lab closing, Ctrl-C). */
  stopAll(): void {
    this.runs.clear();
    this.queue.length = 0;
  }

  get(runId: string): VideoSchedule | null {
    return this.runs.get(runId)?.schedule ?? null;
  }

  /** Videos waiting for their turn. */
  get queued(): number {
    return this.queue.length;
  }

  /** The run's trainer wrote the checkpoint at `step`, after `update` updates. */
  checkpoint(runId: string, step: number, update: number): void {
    const scheduled = this.runs.get(runId);
    if (!scheduled) return;
    const { run, schedule } = scheduled;
    if (schedule.kind === 'updates') {
      if (updatesDue(schedule.every, scheduled.lastUpdate, update))
        this.queue.push({ run, request: { ...schedule.settings, checkpoint: step, episodes: 1, montage: false } });
      scheduled.lastUpdate = update;
    } else {
      this.queueEpisodes(scheduled);
    }
    this.pump();
  }

  /** The run's training ended: the episodes it stored since the last checkpoint are queued too, and its schedule ends. */
  ended(runId: string): void {
    const scheduled = this.runs.get(runId);
    if (!scheduled) return;
    if (scheduled.schedule.kind === 'capped-cubic') this.queueEpisodes(scheduled);
    this.runs.delete(runId);
    this.pump();
  }

  /** Starts the next queued video unless one is being recorded; called again whenever a recording ends. */
  pump(): void {
    while (!this.jobs.busy && this.queue.length > 0) {
      const { run, request } = this.queue.shift()!;
      if (request.checkpoint !== undefined && !run.listCheckpoints().includes(request.checkpoint)) {
        // Recordings take longer than training between checkpoints, and retention went first.
        this.warn(
          `no scheduled video of checkpoint ${request.checkpoint} of run ${run.info.id}: the checkpoint was deleted (only the latest and the milestones are kept) before its turn came`,
        );
        continue;
      }
      try {
        this.jobs.start(run, request);
      } catch (error) {
        this.warn(`no scheduled video of run ${run.info.id}: ${(error as Error).message}`);
      }
    }
  }

  /** Queues the run's stored training episodes that have no video yet. */
  private queueEpisodes(scheduled: Scheduled): void {
    const { run, schedule, episodes } = scheduled;
    const videos = new Set(this.jobs.list(run).map((video) => path.parse(video.name).name));
    for (const trajectory of run.listTrajectories()) {
      if (trajectory.episode === null || episodes.has(trajectory.name) || videos.has(trajectory.name)) continue;
      episodes.add(trajectory.name);
      this.queue.push({ run, request: { ...schedule.settings, trajectory: trajectory.name, episodes: 1, montage: false } });
    }
  }
}
