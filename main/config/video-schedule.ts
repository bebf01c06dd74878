/**
 * A run's video schedule: which videos to record into its videos/ folder while it trains.
 * - `updates`: an evaluation episode of the policy every `every` updates (Isaac Lab's
 *   `--video_interval`, counted in updates). Videos are played from checkpoints, so each is of the
 *   first checkpoint written at or after a multiple of `every` updates (checkpoints come every
 *   `checkpointEveryUpdates`; an `every` below that records each checkpoint).
 * - `capped-cubic`: Gymnasium's RecordVideo default, the training episodes 0, 1, 8, 27, ..., 729,
 *   1000, 2000, ... of env 0, which the trainer stores in trajectories/ on that schedule
 *   (episode-recorder.ts): each becomes a video.
 * Stored in run.json, so it holds when the run is opened again or resumed.
 */
import { z } from 'zod';
import { videoSettingsSchema } from './record-request.ts';

const settings = videoSettingsSchema.prefault({});

export const videoScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('updates'), every: z.number().int().min(1).max(1_000_000).describe('updates between videos'), settings }).strict(),
  z.object({ kind: z.literal('capped-cubic'), settings }).strict(),
]);
export type VideoSchedule = z.infer<typeof videoScheduleSchema>;
export type VideoScheduleInput = z.input<typeof videoScheduleSchema>;

/** Whether the checkpoint at `update` is the first at or past a multiple of `every` since the one at `previous`. */
export function updatesDue(every: number, previous: number, update: number): boolean {
  return Math.floor(update / every) > Math.floor(previous / every);
}

/** The schedule in words, for messages. */
export function describeSchedule(schedule: VideoSchedule): string {
  if (schedule.kind === 'capped-cubic') return "a video of each training episode on Gymnasium's capped-cubic schedule";
  return schedule.every === 1 ? 'a video every update' : `a video every ${schedule.every} updates`;
}
