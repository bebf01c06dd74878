/**
 * The distributed executor: each trial segment is a BullMQ job; `gaitlab worker`s anywhere take
 * them and report through the sweep's Redis stream, which this side reads into its own runs
 * folder, so every trial ends up a complete run here and its metrics arrive live.
 *
 * A worker that dies mid-segment leaves its job to BullMQ's stalled-job check: another worker
 * takes it and resumes from the run's latest checkpoint in Redis. Its 'started' report rewinds the
 * run here to that checkpoint, so the rows the dead worker sent past it are replaced, not doubled.
 */
import os from 'node:os';
import { Queue, QueueEvents } from 'bullmq';
import type { MetricsRow, RunEvent, RunHandle, RunStore } from '../store/run-store.ts';
import type { RunStatus } from '../store/run-info.ts';
import type { SegmentResult, TrialExecutor, TrialSegment } from './executor.ts';
import {
  checkpointKey,
  connectRedis,
  fetchCheckpoint,
  packCheckpoint,
  queueConnection,
  redactIn,
  stopKey,
  streamKey,
  TRIALS_QUEUE,
  type RedisClient,
  type TrialJob,
} from './queue.ts';

interface Pending {
  jobId: string;
  run: RunHandle;
  /** The step of the run's last metrics row here: a row at or before it is a repeat. */
  lastStep: number;
  onMetrics: (row: MetricsRow) => void;
  resolve: (result: SegmentResult) => void;
}

export class QueueExecutor implements TrialExecutor {
  private readonly pending = new Map<string, Pending>();
  private readonly readers = new Map<string, Promise<void>>();
  private closed = false;
  private segments = 0;
  private sweepId: string | null = null;

  private constructor(
    private readonly url: string,
    private readonly runs: RunStore,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly redis: RedisClient,
    private readonly blocking: RedisClient,
    private readonly closeConnections: () => Promise<void>,
  ) {
    events.on('failed', ({ jobId, failedReason }) => {
      const entry = [...this.pending.entries()].find(([, p]) => p.jobId === jobId);
      if (entry) this.settle(entry[0], { status: 'failed', step: 0, error: redactIn(failedReason, url) });
    });
  }

  static async connect(url: string, runs: RunStore): Promise<QueueExecutor> {
    const connection = queueConnection(url);
    const commands = await connectRedis(url);
    const blocking = await connectRedis(url, true).catch(async (error) => {
      await commands.close();
      throw error;
    });
    const queue = new Queue(TRIALS_QUEUE, { connection });
    const events = new QueueEvents(TRIALS_QUEUE, { connection });
    const report = (error: Error) => console.error(`gaitlab: queue: ${redactIn(error.message, url)}`);
    queue.on('error', report);
    events.on('error', report);
    return new QueueExecutor(url, runs, queue, events, commands.client, blocking.client, async () => {
      await Promise.all([commands.close(), blocking.close()]);
    });
  }

  async train(segment: TrialSegment, onMetrics: (row: MetricsRow) => void): Promise<SegmentResult> {
    const { run } = segment;
    this.sweepId = segment.sweepId;
    await this.startReader(segment.sweepId);
    // The run's checkpoint here (a PBT fork, a promoted ASHA trial, a resumed sweep) is where any worker starts.
    const local = run.listCheckpoints().at(-1);
    if (local !== undefined && Number((await this.redis.hget(checkpointKey(run.info.id), 'step')) ?? -1) < local) {
      await this.redis.hset(checkpointKey(run.info.id), packCheckpoint(run, local));
    }
    const jobId = `${run.info.id}.${++this.segments}.${Date.now()}`;
    const data: TrialJob = { sweepId: segment.sweepId, spec: segment.spec, runInfo: run.info, stopAtStep: segment.stopAtStep ?? null };
    return new Promise((resolve, reject) => {
      this.pending.set(run.info.id, { jobId, run, lastStep: lastMetricsStep(run), onMetrics, resolve });
      this.queue.add('trial', data, { jobId, removeOnComplete: true, removeOnFail: 1000 }).catch((error: Error) => {
        this.pending.delete(run.info.id);
        reject(new Error(redactIn(error.message, this.url)));
      });
    });
  }

  /** Workers see the stop key and stop this sweep's trials (checkpointed); jobs not yet taken are removed. */
  stop(): void {
    if (!this.sweepId) return;
    const sweepId = this.sweepId;
    void (async () => {
      await this.redis.set(stopKey(sweepId), '1');
      for (const job of await this.queue.getJobs(['waiting', 'delayed', 'prioritized'])) {
        const entry = [...this.pending.entries()].find(([, p]) => p.jobId === job.id);
        if (!entry) continue;
        await job.remove();
        this.settle(entry[0], { status: 'stopped', step: entry[1].run.listCheckpoints().at(-1) ?? 0 });
      }
    })().catch((error: Error) => console.error(`gaitlab: stopping the sweep's jobs: ${redactIn(error.message, this.url)}`));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepId) await this.redis.del(stopKey(this.sweepId)).catch(() => {});
    await Promise.allSettled(this.readers.values());
    await Promise.allSettled([this.queue.close(), this.events.close()]);
    await this.closeConnections();
  }

  /** Follows the sweep's stream from now on (a marker entry gives the position to read after). */
  private async startReader(sweepId: string): Promise<void> {
    if (this.readers.has(sweepId)) return;
    const key = streamKey(sweepId);
    let lastId = await this.redis.xadd(key, '*', { kind: 'controller', run: '', data: JSON.stringify({ host: os.hostname(), pid: process.pid }) });
    const loop = async () => {
      while (!this.closed) {
        const reply = (await this.blocking.xread([{ key, id: lastId }], { BLOCK: 500, COUNT: 200 })) as [string, [string, string[]][]][] | null;
        for (const [, entries] of reply ?? []) {
          for (const [id, flat] of entries) {
            lastId = id;
            const fields: Record<string, string> = {};
            for (let i = 0; i < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
            await this.handle(fields);
          }
        }
      }
    };
    this.readers.set(
      sweepId,
      loop().catch((error: Error) => console.error(`gaitlab: reading the sweep's stream: ${redactIn(error.message, this.url)}`)),
    );
  }

  /** One worker report, applied to the run in this runs folder. */
  private async handle(fields: Record<string, string>): Promise<void> {
    const pending = this.pending.get(fields.run);
    if (!pending) return;
    const data = JSON.parse(fields.data) as Record<string, unknown>;
    const run = this.runs.openRun(fields.run);
    switch (fields.kind) {
      case 'started': {
        const step = Number(data.step);
        // This folder's copy of the run is written here alone; the lock is what rewindTo asks of a writer.
        run.lockForWriting();
        try {
          run.rewindTo(step);
        } finally {
          run.unlock();
        }
        pending.lastStep = lastMetricsStep(run);
        run.appendEvent({ type: 'worker', step, wallSeconds: Number(data.wallSeconds ?? 0), worker: String(data.worker) });
        run.updateInfo({ status: 'running' });
        break;
      }
      case 'metrics': {
        const row = data.row as MetricsRow;
        // Reports are in order, and a resumed segment starts with 'started': a row at or before the last one is a repeat.
        if ((row.step ?? -1) > pending.lastStep) {
          pending.lastStep = row.step!;
          run.appendMetrics(row);
          pending.onMetrics(row);
        }
        break;
      }
      case 'event':
        run.appendEvent(data.event as RunEvent);
        break;
      case 'checkpoint':
        await fetchCheckpoint(this.redis, run);
        break;
      case 'exit': {
        await fetchCheckpoint(this.redis, run);
        const status = data.status as RunStatus;
        const summary = data.summary as Record<string, number> | undefined;
        run.updateInfo({ status, summary, error: data.error as string | undefined });
        this.settle(fields.run, { status, step: summary?.step ?? Number(data.step ?? 0), error: data.error as string | undefined });
        break;
      }
    }
  }

  private settle(runId: string, result: SegmentResult): void {
    const pending = this.pending.get(runId);
    if (!pending) return;
    this.pending.delete(runId);
    pending.resolve(result);
  }
}

function lastMetricsStep(run: RunHandle): number {
  return run.readMetrics().at(-1)?.step ?? -1;
}
