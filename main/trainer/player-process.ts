/**
 * Entry point of the Lab's episode player: `node --import tsx player-process.ts`, one per Lab,
 * started before it is needed (loading the networks' backend and the physics takes seconds) and
 * kept for the Lab's life. For each request `{ playId, runDir, checkpoint }` it restores that
 * checkpoint and streams one deterministic evaluation episode to its parent in chunks
 * (episode-stream.ts). A newer request waits for the episode under way (about a second's work).
 */
import path from 'node:path';
import { z } from 'zod';
import { initPhysics } from '../../sim/index.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import { RunStore } from '../store/run-store.ts';
import { streamEvaluation, type EpisodeChunk } from './episode-stream.ts';
import { Trainer } from './trainer.ts';

export const playRequestSchema = z
  .object({ playId: z.number().int().min(0), runDir: z.string().min(1), checkpoint: z.number().int().min(0), seed: z.number().int() })
  .strict();
export type PlayRequest = z.infer<typeof playRequestSchema>;

export type PlayerMessage = { type: 'ready' } | { type: 'chunk'; chunk: EpisodeChunk } | { type: 'failed'; playId: number; error: string };

function send(message: PlayerMessage): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
}

/** The newest request not yet played: older ones are stale by the time the player is free. */
let next: PlayRequest | null = null;
let busy = false;
/** The checkpoint played last, kept open: Play pressed again replays it without rebuilding anything. */
let open: { key: string; trainer: Trainer } | null = null;

async function playNext(): Promise<void> {
  if (busy) return;
  busy = true;
  while (next) {
    const request = next;
    next = null;
    try {
      const key = `${request.runDir}@${request.checkpoint}`;
      if (open?.key !== key) {
        open?.trainer.dispose();
        open = null;
        const runDir = path.resolve(request.runDir);
        const run = new RunStore(path.dirname(runDir)).openRun(runDir);
        open = { key, trainer: await Trainer.open(run, () => {}, { checkpoint: request.checkpoint }) };
      }
      const pending: Promise<void>[] = [];
      streamEvaluation(open.trainer, request.playId, request.seed, (chunk) => pending.push(send({ type: 'chunk', chunk })));
      await Promise.all(pending);
    } catch (error) {
      await send({ type: 'failed', playId: request.playId, error: (error as Error).message });
    }
  }
  busy = false;
}

process.on('message', (raw) => {
  const parsed = playRequestSchema.safeParse(raw);
  if (!parsed.success) {
    console.warn(`gaitlab player: ignoring an invalid request: ${parsed.error.message}`);
    return;
  }
  next = parsed.data;
  void playNext();
});
// The parent gone, nothing is left to play for.
process.on('disconnect', () => process.exit(0));

// What every episode needs, loaded once before the first request.
await Promise.all([selectBackend('auto'), initPhysics()]);
await send({ type: 'ready' });
