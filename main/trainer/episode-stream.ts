/**
 * A checkpoint's evaluation episode streamed as it is played, so a viewer can start drawing the
 * robot while the rest of the episode is still being computed: the first chunk after a few steps,
 * then one every CHUNK_STEPS steps. The episode is deterministic (see evaluate.ts), from `seed`.
 */
import { z } from 'zod';
import type { Trainer } from './trainer.ts';
import { evaluatePolicy } from './evaluate.ts';

/** Steps in the first chunk: enough to start playing, few enough to arrive at once. */
const FIRST_CHUNK_STEPS = 8;
const CHUNK_STEPS = 100;

/** Part of an episode: what it is (in every chunk, it is small), then the poses and rewards of its next steps. */
export interface EpisodeChunk {
  /** Which play request this answers (a new request supersedes older ones). */
  playId: number;
  envId: string;
  dtSeconds: number;
  numBodies: number;
  /** The checkpoint's update and env step. */
  update: number;
  step: number;
  /** [chunk steps, numBodies * 7] and [chunk steps], following the previous chunk's. */
  frames: number[];
  rewards: number[];
  /** The last chunk of the episode. */
  done: boolean;
}

export const episodeChunkSchema = z.object({
  playId: z.number().int().min(0),
  envId: z.string(),
  dtSeconds: z.number().positive(),
  numBodies: z.number().int().min(1),
  update: z.number().int().min(0),
  step: z.number().int().min(0),
  frames: z.array(z.number()),
  rewards: z.array(z.number()),
  done: z.boolean(),
}) satisfies z.ZodType<EpisodeChunk>;

/** Plays one deterministic episode of `trainer`'s policy (restored from a checkpoint), handing over chunks. */
export function streamEvaluation(trainer: Trainer, playId: number, seed: number, onChunk: (chunk: EpisodeChunk) => void): void {
  const env = trainer.loop.stack.env;
  const head = {
    playId,
    envId: env.spec.id,
    dtSeconds: env.spec.dtSeconds,
    numBodies: env.scene.bodies.length,
    update: trainer.counters.update,
    step: trainer.counters.step,
  };
  let frames: number[] = [];
  let rewards: number[] = [];
  let sent = 0;
  const send = (done: boolean) => {
    onChunk({ ...head, frames, rewards, done });
    sent += rewards.length;
    frames = [];
    rewards = [];
  };
  evaluatePolicy(trainer.loop.policy, head.envId, trainer.loop.stack.obsNorm, 1, seed, (frame, reward) => {
    for (let i = 0; i < frame.length; i++) frames.push(frame[i]);
    rewards.push(reward);
    if (rewards.length >= (sent === 0 ? FIRST_CHUNK_STEPS : CHUNK_STEPS)) send(false);
  });
  send(true);
}
