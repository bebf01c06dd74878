/**
 * Videos the Lab records for the UI: one recording process at a time (each plays episodes and
 * drives a headless browser, and the machine's cores are for training), its progress pushed to
 * subscribers, its file left in the run's videos/ folder.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { VideoFile, VideoJob } from './api.ts';
import { TEMP_PREFIX } from '../store/atomic-write.ts';
import type { RunHandle } from '../store/run-store.ts';
import type { RecordRequest } from '../config/record-request.ts';
import type { RecorderMessage } from '../video/record-process.ts';
import { engineEntry } from '../../sim/core/engine-entry.ts';
import { tailOf, yieldToUi, type TrainerExit } from './trainer-launcher.ts';

/** The containers the recorder writes, with their media types: what a run's videos/ folder lists and the UI's hosts serve. */
export const VIDEO_MEDIA_TYPES: Record<string, string> = { '.mp4': 'video/mp4', '.webm': 'video/webm' };

export interface RecorderProcess {
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exit: TrainerExit) => void): void;
  kill(): void;
}

/** Starts the recording of the run in `runDir`. */
export type RecorderLauncher = (runDir: string, request: RecordRequest) => RecorderProcess;

const RECORDER_ENTRY = engineEntry('main/video/record-process.ts');

export const forkRecorder: RecorderLauncher = (runDir, request) => {
  const child = fork(RECORDER_ENTRY.file, [runDir, JSON.stringify(request)], { execArgv: RECORDER_ENTRY.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  yieldToUi(child.pid);
  const stderrTail = tailOf(child.stderr, process.stderr);
  return {
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('close', (code, signal) => listener({ code, signal, stderrTail: stderrTail() })),
    // SIGTERM: the recorder removes its unfinished file before it goes.
    kill: () => child.kill('SIGTERM'),
  };
};

const recorderMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), done: z.number().int().min(0), total: z.number().int().min(0) }),
  z.object({ type: z.literal('done'), video: z.looseObject({ file: z.string(), frames: z.number().int(), fallback: z.string().optional() }) }),
  z.object({ type: z.literal('failed'), error: z.string() }),
]) satisfies z.ZodType<Pick<RecorderMessage, 'type'>>;

export class VideoJobs {
  private current: { job: VideoJob; process: RecorderProcess; cancelled: boolean } | null = null;
  private nextId = 1;

  constructor(
    private readonly launcher: RecorderLauncher,
    private readonly emit: (job: VideoJob) => void,
    /** After a recording's process is gone: the next may start (see scheduled-videos.ts). */
    private readonly onIdle: () => void = () => {},
  ) {}

  get busy(): boolean {
    return this.current !== null;
  }

  start(run: RunHandle, request: RecordRequest): VideoJob {
    if (this.current) throw new Error(`a video of run ${this.current.job.runId} is being recorded; one at a time`);
    const job: VideoJob = { id: `video-${this.nextId++}`, runId: run.info.id, status: 'running', done: 0, total: 0 };
    const recorder = this.launcher(run.dir, request);
    const current = { job, process: recorder, cancelled: false };
    this.current = current;
    recorder.onMessage((raw) => {
      const parsed = recorderMessageSchema.safeParse(raw);
      if (!parsed.success) return console.warn(`gaitlab: ignoring an invalid message from a recorder: ${parsed.error.message}`);
      const message = parsed.data;
      if (message.type === 'progress') Object.assign(job, { done: message.done, total: message.total });
      else if (message.type === 'done')
        Object.assign(job, { status: 'done', done: message.video.frames, file: path.basename(message.video.file), message: message.video.fallback });
      else Object.assign(job, { status: 'failed', message: message.error });
      this.emit({ ...job });
    });
    recorder.onExit((exit) => {
      if (this.current === current) this.current = null;
      if (job.status === 'running') {
        const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
        if (current.cancelled) Object.assign(job, { status: 'cancelled', message: undefined });
        else Object.assign(job, { status: 'failed', message: `the recorder ${how}: ${exit.stderrTail.trim().split('\n').slice(-3).join('\n')}` });
        this.emit({ ...job });
      }
      this.onIdle();
    });
    this.emit({ ...job });
    return { ...job };
  }

  /**
   * The run's videos, newest first: regular files of a video type in videos/ itself. A symlink is
   * never a video (it could name any file on the machine, or nothing): it is skipped, like a file
   * removed while the folder is listed.
   */
  list(run: RunHandle): VideoFile[] {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(run.videosDir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith(TEMP_PREFIX) && Object.hasOwn(VIDEO_MEDIA_TYPES, path.extname(entry.name)))
      .flatMap((entry) => {
        const stat = fs.lstatSync(path.join(run.videosDir, entry.name), { throwIfNoEntry: false });
        return stat?.isFile() ? [{ name: entry.name, bytes: stat.size, modifiedAt: stat.mtime.toISOString() }] : [];
      })
      .sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt));
  }

  /** The path of one of the run's videos: only a name `list` gives, so never a file outside videos/. */
  file(run: RunHandle, name: string): string {
    if (!this.list(run).some((video) => video.name === name)) throw new Error(`run ${run.info.id} has no video ${JSON.stringify(name)}`);
    return path.join(run.videosDir, name);
  }

  /** Cancels the run's recording under way; its unfinished file is removed, and the next queued video may start. */
  cancel(runId: string): void {
    if (this.current?.job.runId !== runId) throw new Error(`no video of run ${runId} is being recorded`);
    this.current.cancelled = true;
    this.current.process.kill();
  }

  /** Stops a recording under way; its unfinished file never becomes a video. */
  close(): void {
    this.current?.process.kill();
  }
}
