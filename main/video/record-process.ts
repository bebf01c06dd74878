/**
 * Entry point of a recording process the Lab starts: `node --import tsx record-process.ts <runDir>
 * <request JSON>`. It records the run's video into its videos/ folder (see run-job.ts and
 * record-video.ts) in a process of its own, so the Lab's thread never plays episodes or waits on a
 * browser, and reports to its parent: progress, then the video or the reason it failed.
 */
import path from 'node:path';
import { RunStore } from '../store/run-store.ts';
import { jobFrameCount } from './record-job.ts';
import { recordRequestSchema } from '../config/record-request.ts';
import { recordVideo, type RecordedVideo } from './record-video.ts';
import { buildRunJob } from './run-job.ts';

export type RecorderMessage = { type: 'progress'; done: number; total: number } | { type: 'done'; video: RecordedVideo } | { type: 'failed'; error: string };

/** Progress messages at most this often: the UI's bar needs no more. */
const PROGRESS_INTERVAL_MS = 250;

function send(message: RecorderMessage): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
}

async function main(): Promise<void> {
  const [runDir, requestJson] = process.argv.slice(2);
  if (!runDir || !requestJson) throw new Error('usage: record-process <runDir> <request JSON>');
  const run = new RunStore(path.dirname(path.resolve(runDir))).openRun(path.resolve(runDir));
  const { job, name } = await buildRunJob(run, recordRequestSchema.parse(JSON.parse(requestJson)));
  const total = jobFrameCount(job);
  await send({ type: 'progress', done: 0, total });
  let sentAt = -Infinity;
  const video = await recordVideo(job, path.join(run.videosDir, `${name}.${job.container}`), {
    onProgress: (done) => {
      if (performance.now() - sentAt < PROGRESS_INTERVAL_MS) return;
      sentAt = performance.now();
      void send({ type: 'progress', done, total });
    },
  });
  await send({ type: 'done', video });
}

try {
  await main();
  process.exit(0);
} catch (error) {
  await send({ type: 'failed', error: (error as Error).message ?? String(error) });
  process.exit(1);
}
