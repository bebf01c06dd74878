/**
 * Runs another process trains in the Lab's runs folder (`gaitlab train --runs`, the trials of a
 * `gaitlab sweep`), followed while a page looks at them so they are as live there as the Lab's own:
 * every tick a followed run's run.json, metrics.jsonl and events.jsonl are stat'ed and only the
 * bytes appended since are read (store/jsonl.ts, JsonlTail); the new rows and events go to the
 * subscribers as the Lab's trainers' messages do. When run.json says the run ended, its status goes
 * out and following stops; so it does when the folder disappears, when no page has asked for the
 * run for `idleMs`, or when the Lab starts a trainer on it (then that trainer speaks for it).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunHandle, RunInfo, MetricsRow, RunEvent } from '../store/run-store.ts';
import { readRunInfo } from '../store/run-info.ts';
import type { TrainerMessage } from '../trainer/protocol.ts';
import { ENDED_STATUSES } from './trainer-exit.ts';

export interface FollowerOptions {
  /** Time between two looks at each followed run (default 1 s). */
  intervalMs?: number;
  /** A run no page has asked for (getRun, listCheckpoints) this long is no longer followed (default 5 min). */
  idleMs?: number;
}

export interface FollowerSink {
  message(runId: string, message: TrainerMessage): void;
  /** The run's status in run.json changed. */
  changed(info: RunInfo): void;
}

interface Followed {
  runDir: string;
  metrics: ReturnType<RunHandle['tailMetrics']>;
  events: ReturnType<RunHandle['tailEvents']>;
  status: RunInfo['status'];
  /** run.json as last read (inode, size, mtime): it is read again only when this changes. */
  stamp: string;
  askedAt: number;
}

export class RunFollowers {
  private readonly followed = new Map<string, Followed>();
  private readonly intervalMs: number;
  private readonly idleMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly sink: FollowerSink,
    options: FollowerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.idleMs = options.idleMs ?? 5 * 60_000;
  }

  /**
   * A page asks for `run`, which is not ended and no trainer of this Lab trains: follows it (or goes
   * on), and returns its rows and events exactly up to where following goes on from.
   */
  follow(run: RunHandle): { metrics: MetricsRow[]; events: RunEvent[] } {
    const runId = run.info.id;
    const known = this.followed.get(runId);
    if (known) {
      this.look(runId, known); // what is new goes to the subscribers first: the page gets the rest from here
      known.askedAt = Date.now();
      return { metrics: known.metrics.read(), events: known.events.read() };
    }
    const followed: Followed = {
      runDir: run.dir,
      metrics: run.tailMetrics(),
      events: run.tailEvents(),
      status: run.info.status,
      stamp: '', // read run.json again at the first look: it may have changed since `run` was opened
      askedAt: Date.now(),
    };
    const read = { metrics: followed.metrics.next(), events: followed.events.next() };
    this.followed.set(runId, followed);
    this.timer ??= setInterval(() => this.tick(), this.intervalMs).unref();
    return read;
  }

  /** A page still shows the run: it stays followed. */
  touch(runId: string): void {
    const followed = this.followed.get(runId);
    if (followed) followed.askedAt = Date.now();
  }

  isFollowing(runId: string): boolean {
    return this.followed.has(runId);
  }

  stop(runId: string): void {
    this.followed.delete(runId);
    if (this.followed.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  close(): void {
    for (const runId of [...this.followed.keys()]) this.stop(runId);
  }

  private tick(): void {
    const now = Date.now();
    for (const [runId, followed] of this.followed) {
      if (now - followed.askedAt > this.idleMs) this.stop(runId);
      else this.look(runId, followed);
    }
  }

  /** Passes on what the run's files gained since the last look; stops following a run that ended or is gone. */
  private look(runId: string, followed: Followed): void {
    try {
      // run.json first: a trainer writes its last rows before it marks the run ended, so the rows
      // read after an ended run.json are all of them.
      const stamp = stampOf(followed.runDir);
      const info = stamp === followed.stamp ? null : readRunInfo(followed.runDir);
      followed.stamp = stamp;
      for (const row of followed.metrics.next()) this.sink.message(runId, { type: 'metrics', row });
      for (const event of followed.events.next()) this.sink.message(runId, { type: 'event', event });
      if (!info || info.status === followed.status) return;
      followed.status = info.status;
      if (ENDED_STATUSES.has(info.status)) this.stop(runId);
      const { status, error, stopReason } = info;
      this.sink.message(runId, { type: 'status', status, step: info.summary?.step ?? 0, ...(error && { error }), ...(stopReason && { reason: stopReason }) });
      this.sink.changed(info);
    } catch (error) {
      // Deleted, or damaged by hand: nothing more to show live (the run list says what is left).
      this.stop(runId);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') console.warn(`gaitlab: no longer following run ${runId}: ${(error as Error).message}`);
    }
  }
}

/** What changes whenever run.json is rewritten (atomically: a new file each time). */
function stampOf(runDir: string): string {
  const stat = fs.statSync(path.join(runDir, 'run.json'));
  return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
}
