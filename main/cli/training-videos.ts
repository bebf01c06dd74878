/**
 * `gaitlab train`'s side of a run's video schedule (see video-schedule.ts): the videos are
 * recorded by a background process, one at a time and at a lower priority than training (as in
 * the app), and those still due when training ends are waited for. The recorder only reads the
 * run and writes into its videos/ folder: training goes exactly as it would without videos.
 */
import { ScheduledVideos } from '../lab/scheduled-videos.ts';
import type { VideoJob } from '../lab/api.ts';
import { forkRecorder, VideoJobs, type RecorderLauncher } from '../lab/video-jobs.ts';
import { describeSchedule, type VideoSchedule } from '../config/video-schedule.ts';
import type { RunHandle } from '../store/run-store.ts';
import { findBrowser } from '../video/browser.ts';

/**
 * The run's schedule, if videos can be made here. Without a browser to render in there is one
 * warning and no videos: training never depends on them.
 */
export function scheduleToFollow(run: RunHandle, warn: (line: string) => void = console.error, find: () => unknown = findBrowser): VideoSchedule | null {
  const schedule = run.info.videoSchedule;
  if (!schedule) return null;
  try {
    find();
    return schedule;
  } catch (error) {
    warn(`gaitlab: warning: the run asks for ${describeSchedule(schedule)}, but none will be recorded (training goes on): ${(error as Error).message}`);
    return null;
  }
}

export class TrainingVideos {
  /** Files written into the run's videos/ folder. */
  readonly written: string[] = [];
  /** Videos that failed or were skipped, and containers that fell back, in words. */
  readonly problems: string[] = [];
  private readonly jobs: VideoJobs;
  private readonly scheduled: ScheduledVideos;
  private whenIdle: (() => void) | null = null;

  /** Follows `schedule` from `update`, the update the trainer starts at. */
  constructor(
    private readonly run: RunHandle,
    schedule: VideoSchedule,
    update: number,
    launcher: RecorderLauncher = forkRecorder,
  ) {
    this.jobs = new VideoJobs(
      launcher,
      (job) => this.onJob(job),
      () => this.next(),
    );
    this.scheduled = new ScheduledVideos(this.jobs, (problem) => this.problems.push(problem));
    this.scheduled.set(run, schedule, update);
  }

  /** The trainer wrote a checkpoint. */
  checkpoint(step: number, update: number): void {
    this.scheduled.checkpoint(this.run.info.id, step, update);
  }

  /** Training ended: records what is still due; `waiting` hears how many videos are left, if any. */
  finish(waiting: (videos: number) => void): Promise<void> {
    this.scheduled.ended(this.run.info.id);
    if (!this.jobs.busy) return Promise.resolve();
    waiting(this.scheduled.queued + 1);
    return new Promise((resolve) => (this.whenIdle = resolve));
  }

  /** No more videos: the queue is dropped and a recording under way stops, its unfinished file removed. */
  close(): void {
    this.scheduled.stopAll();
    this.jobs.close();
  }

  private next(): void {
    this.scheduled.pump();
    if (!this.jobs.busy) this.whenIdle?.();
  }

  private onJob(job: VideoJob): void {
    if (job.status === 'done' && job.file) this.written.push(job.file);
    if (job.status !== 'running' && job.message) this.problems.push(`${job.status === 'done' ? job.file : 'a scheduled video failed'}: ${job.message}`);
  }
}
