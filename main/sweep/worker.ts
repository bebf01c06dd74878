/**
 * `gaitlab worker --queue URL`: takes trial segments from the queue and trains each in a local
 * trainer process, in its own runs folder, reporting metrics, events and checkpoints to the
 * sweep's stream (checkpoints also to Redis, where any worker can resume from them). A job whose
 * spec or run does not validate fails at once, with the reason on the trial, and nothing runs.
 *
 * Ctrl-C (or SIGTERM, SIGHUP) hands the worker's trials back: each trainer checkpoints after its
 * update and stops, and its job goes back to the queue, where another worker resumes it from that
 * checkpoint at once (not after a lock expires, as for a worker that dies). A second signal quits.
 */
import os from 'node:os';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { parseSweepSpec } from '../config/sweep-spec.ts';
import { forkTrainer } from '../lab/fork-launcher.ts';
import type { TrainerExit, TrainerProcess } from '../lab/trainer-launcher.ts';
import { settleTrainerRun } from '../lab/trainer-exit.ts';
import { runInfoSchema } from '../store/run-info.ts';
import type { RunStore } from '../store/run-store.ts';
import { onStopSignals } from '../trainer/stop-signals.ts';
import {
  checkpointKey,
  connectRedis,
  fetchCheckpoint,
  packCheckpoint,
  queueConnection,
  redactIn,
  redactUrl,
  stopKey,
  streamKey,
  trialJobSchema,
  TRIALS_QUEUE,
  type RedisClient,
  type TrialMessageKind,
} from './queue.ts';

export interface WorkerOptions {
  queue: string;
  concurrency: number;
  /** How long a job's lock lasts without renewal: a dead worker's trial is taken over after about this long. */
  lockDurationMs: number;
}

const STOP_POLL_MS = 500;

/** The trainers this worker runs, and whether it is handing them back (closing). */
class Shift {
  readonly trainers = new Set<TrainerProcess>();
  closing = false;

  /** Stops every trainer (each checkpoints after its update); their jobs then go back to the queue. */
  handBack(): void {
    this.closing = true;
    for (const trainer of this.trainers) trainer.send({ type: 'stop' });
  }
}

export async function runWorker(runs: RunStore, options: WorkerOptions): Promise<void> {
  runs.ensureWritable();
  const { client: redis, close } = await connectRedis(options.queue);
  const name = `${os.hostname()}:${process.pid}`;
  const shift = new Shift();
  const worker = new Worker(TRIALS_QUEUE, (job, token) => trainJob(job, token, runs, redis, name, shift), {
    connection: queueConnection(options.queue),
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: Math.max(500, Math.floor(options.lockDurationMs / 2)),
    // A trial may lose several workers before it finishes.
    maxStalledCount: 10,
  });
  worker.on('error', (error) => console.error(`gaitlab worker: ${redactIn(error.message, options.queue)}`));
  worker.on('failed', (job, error) => console.error(`gaitlab worker: trial ${job?.data?.runInfo?.id ?? job?.id}: ${redactIn(error.message, options.queue)}`));
  console.error(`worker ${name} · ${options.concurrency} at once · queue ${redactUrl(options.queue)} · runs in ${runs.root}`);
  await new Promise<void>((resolve) => {
    onStopSignals((signal) => {
      console.error(`worker ${name}: ${signal}: handing ${shift.trainers.size} trial(s) back to the queue after their update`);
      shift.handBack();
      void worker.close().then(resolve);
    });
  });
  await close();
}

/** One job: mirror the run here, bring its latest checkpoint, train to the segment's end, report. */
async function trainJob(job: Job, token: string | undefined, runs: RunStore, redis: RedisClient, worker: string, shift: Shift): Promise<string> {
  const parsed = trialJobSchema.safeParse(job.data);
  const runId = String((job.data as { runInfo?: { id?: unknown } })?.runInfo?.id ?? '');
  const stream = streamKey(String((job.data as { sweepId?: unknown })?.sweepId ?? 'unknown'));
  let sent: Promise<unknown> = Promise.resolve();
  // Reports go out one after another, in the order the trainer made them.
  const report = (kind: TrialMessageKind, data: unknown, before?: () => Promise<unknown>) => {
    sent = sent
      .then(async () => {
        await before?.();
        await redis.xadd(stream, '*', { kind, run: runId, data: JSON.stringify(data) });
      })
      .catch((error: Error) => console.error(`gaitlab worker: reporting ${kind} of ${runId}: ${error.message}`));
    return sent;
  };
  let runInfo;
  try {
    if (!parsed.success) throw new Error(`malformed job: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    parseSweepSpec(parsed.data.spec);
    runInfo = runInfoSchema.parse(parsed.data.runInfo);
  } catch (error) {
    const message = `refused: ${(error as Error).message}`;
    await report('exit', { status: 'failed', step: 0, error: message });
    throw new UnrecoverableError(message);
  }
  const { sweepId, stopAtStep } = parsed.data;
  const run = runs.adoptRun({ ...runInfo, status: 'created', summary: undefined, error: undefined });
  await fetchCheckpoint(redis, run);
  const trainer = forkTrainer(run.dir, { stopAtStep: stopAtStep ?? undefined });
  shift.trainers.add(trainer);
  if (shift.closing) trainer.send({ type: 'stop' });
  const stopPoll = setInterval(() => {
    void redis.get(stopKey(sweepId)).then(
      (stop) => stop && trainer.send({ type: 'stop' }),
      () => {},
    );
  }, STOP_POLL_MS);
  trainer.onMessage((raw) => {
    const message = raw as { type: string; step?: number; row?: unknown; event?: unknown };
    if (message.type === 'started') {
      // A stop sent before the trainer listened is lost: repeat it once it has started.
      if (shift.closing) trainer.send({ type: 'stop' });
      void report('started', { step: message.step, worker });
    } else if (message.type === 'metrics') void report('metrics', { row: message.row });
    else if (message.type === 'event') void report('event', { event: message.event });
    else if (message.type === 'checkpoint') {
      const step = message.step as number;
      void report('checkpoint', { step }, () => redis.hset(checkpointKey(run.info.id), packCheckpoint(run, step)));
    }
  });
  const exit = await new Promise<TrainerExit>((resolve) => trainer.onExit(resolve));
  clearInterval(stopPoll);
  shift.trainers.delete(trainer);
  await sent;
  const { status, step, summary, error } = settleTrainerRun(run.dir, exit);
  const cutShort = status === 'stopped' && (stopAtStep === null || step < stopAtStep);
  if (shift.closing && cutShort && !(await redis.get(stopKey(sweepId)))) {
    // Stopped by this worker's shutdown, not by the sweep: the trial goes on elsewhere from this checkpoint.
    await report('event', { event: { type: 'handed-back', step, wallSeconds: summary?.wall_s ?? 0, worker } });
    await job.moveToWait(token);
    throw new WaitingError();
  }
  await report('exit', { status, summary, step, error });
  if (status === 'failed') throw new UnrecoverableError(error);
  return status;
}
