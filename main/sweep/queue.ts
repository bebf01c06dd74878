/**
 * What the sweep controller and `gaitlab worker`s share on Redis (see README.md):
 *   queue `gaitlab-trials`               BullMQ jobs, one per trial segment (TrialJob)
 *   stream gaitlab:sweep:<id>:events    what the workers' trainers report, in order (TrialMessage)
 *   hash   gaitlab:checkpoint:<run>     the run's latest checkpoint, readable by any worker
 *   key    gaitlab:sweep:<id>:stop      set by the controller's Ctrl-C: workers stop its trials
 * The queue's URL may carry a password: it is never printed (redactUrl) nor stored.
 */
import { RedisConnection } from 'bullmq';
import { z } from 'zod';
import type { Checkpoint, RunHandle } from '../store/run-store.ts';

export const TRIALS_QUEUE = 'gaitlab-trials';
export const streamKey = (sweepId: string) => `gaitlab:sweep:${sweepId}:events`;
export const stopKey = (sweepId: string) => `gaitlab:sweep:${sweepId}:stop`;
export const checkpointKey = (runId: string) => `gaitlab:checkpoint:${runId}`;

/** One segment of a trial: the run (its run.json), the spec to validate again, where to stop. */
export const trialJobSchema = z
  .object({
    sweepId: z.string().min(1),
    spec: z.record(z.string(), z.unknown()),
    runInfo: z.record(z.string(), z.unknown()),
    stopAtStep: z.number().int().positive().nullable(),
  })
  .strict();
export type TrialJob = z.infer<typeof trialJobSchema>;

/** A worker's report about one run, on the sweep's stream; `data` is JSON. */
export const TRIAL_MESSAGE_KINDS = ['started', 'metrics', 'event', 'checkpoint', 'exit'] as const;
export type TrialMessageKind = (typeof TRIAL_MESSAGE_KINDS)[number];

/** The URL with its password (and user) replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1***@');
}

/** `text` with any secret of `url` (its user:password part) masked: for error messages that might quote it. */
export function redactIn(text: string, url: string): string {
  const auth = /^[a-z][a-z0-9+.-]*:\/\/([^@/]*)@/i.exec(url)?.[1];
  let out = text.split(url).join(redactUrl(url));
  if (auth) for (const secret of [auth, ...auth.split(':').filter((s) => s.length > 0)]) out = out.split(secret).join('***');
  return out;
}

/** BullMQ connection options for a `redis://` or `rediss://` URL; anything else is refused before connecting. */
export function queueConnection(url: string): { url: string; maxRetriesPerRequest: null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('the queue is not a URL: expected redis://HOST:PORT (or redis://:PASSWORD@HOST:PORT)');
  }
  // Neither message quotes the text: where it is no redis:// URL, redactUrl cannot tell a password in it.
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new Error(`the queue is a ${parsed.protocol} URL: expected redis://HOST:PORT or rediss://HOST:PORT`);
  // Workers block on Redis: BullMQ needs commands retried for ever rather than failed.
  return { url, maxRetriesPerRequest: null };
}

export type RedisClient = Awaited<RedisConnection['client']>;

/** A plain Redis connection (BullMQ's client) for the stream and checkpoint keys; checks the server answers. */
export async function connectRedis(url: string, blocking = false): Promise<{ client: RedisClient; close: () => Promise<void> }> {
  const connection = new RedisConnection(queueConnection(url), { blocking });
  connection.on('error', () => {}); // reported by the command that fails, redacted by its caller
  try {
    const client = await withTimeout(
      connection.client,
      10_000,
      `cannot reach the queue at ${redactUrl(url)} within 10 s: check its host and port, and that redis-server runs there`,
    );
    return { client, close: () => connection.close() };
  } catch (error) {
    await connection.close().catch(() => {});
    throw new Error(redactIn((error as Error).message, url));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}

/** A checkpoint as hash fields (arrays base64-encoded), for checkpointKey. */
export function packCheckpoint(run: RunHandle, step: number): Record<string, string> {
  const { state, arrays } = run.loadCheckpoint(step);
  const packed = Object.entries(arrays).map(([name, a]) => [
    name,
    a instanceof Float64Array ? 'float64' : 'float32',
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'),
  ]);
  return { step: String(step), state: JSON.stringify(state), arrays: JSON.stringify(packed) };
}

const packedArraysSchema = z.array(z.tuple([z.string(), z.enum(['float32', 'float64']), z.string()]));

/** The checkpoint in a hash written by packCheckpoint; null when the hash is empty. */
export function unpackCheckpoint(fields: Record<string, string>): { step: number; checkpoint: Checkpoint } | null {
  if (fields.step === undefined) return null;
  const arrays: Checkpoint['arrays'] = {};
  for (const [name, dtype, base64] of packedArraysSchema.parse(JSON.parse(fields.arrays))) {
    const bytes = Buffer.from(base64, 'base64');
    const copy = new Uint8Array(bytes).buffer; // aligned for the typed array
    arrays[name] = dtype === 'float64' ? new Float64Array(copy) : new Float32Array(copy);
  }
  return { step: Number(fields.step), checkpoint: { state: JSON.parse(fields.state), arrays } };
}

/** Writes the checkpoint in Redis into `run` unless it has it (or a later one) already; returns its step. */
export async function fetchCheckpoint(redis: RedisClient, run: RunHandle): Promise<number | null> {
  const latest = unpackCheckpoint(await redis.hgetall(checkpointKey(run.info.id)));
  if (!latest) return null;
  const local = run.listCheckpoints().at(-1) ?? -1;
  if (latest.step > local) run.writeCheckpoint(latest.step, latest.checkpoint);
  return latest.step;
}
