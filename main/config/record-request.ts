/**
 * What to record from a run: the one schema for `gaitlab record`'s flags and the Lab's
 * recordVideo call (validated in main, like every other call from the UI).
 */
import { z } from 'zod';

/**
 * How a camera watches an episode: `follow` from the front, a little to the side and above, sliding
 * along with the robot (the viewer's); `side` straight from the side at the robot's height, sliding
 * too; `fixed` standing still where it sees the whole episode.
 */
export const CAMERA_STYLES = ['follow', 'side', 'fixed'] as const;
export type CameraStyle = (typeof CAMERA_STYLES)[number];

export const MAX_WIDTH = 1920;
export const MAX_HEIGHT = 1080;

const even = (max: number) =>
  z
    .number()
    .int()
    .min(16)
    .max(max)
    .refine((n) => n % 2 === 0, 'must be even (video encoders work in 2 x 2 blocks)');

/** How a video looks, whatever it shows. */
export const videoSettingsSchema = z
  .object({
    seed: z.number().int().min(0).default(10_000).describe('seed of the first evaluation episode'),
    width: even(MAX_WIDTH).default(1280),
    height: even(MAX_HEIGHT).default(720),
    fps: z.number().positive().max(240).nullable().default(null).describe('frames per second; null: one per env step, in real time'),
    camera: z.enum(CAMERA_STYLES).default('follow'),
    container: z.enum(['mp4', 'webm']).default('mp4'),
  })
  .strict();

export const recordRequestSchema = videoSettingsSchema
  .extend({
    checkpoint: z.number().int().min(0).optional().describe('checkpoint step (default: latest)'),
    trajectory: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a trajectory name')
      .optional()
      .describe('a stored episode instead of new evaluation episodes'),
    episodes: z.number().int().min(1).max(100).default(1),
    montage: z.boolean().default(false).describe('one episode from the same start per checkpoint, side by side'),
  })
  .strict()
  .refine((r) => r.trajectory === undefined || (!r.montage && r.checkpoint === undefined && r.episodes === 1), {
    message: 'a stored episode (trajectory) is recorded alone: no checkpoint, episodes or montage',
  })
  .refine((r) => !r.montage || (r.checkpoint === undefined && r.episodes === 1), {
    message: 'a montage plays one episode of each checkpoint: no checkpoint or episodes',
  });

export type RecordRequest = z.infer<typeof recordRequestSchema>;
/** As a caller may send it: defaults left out. */
export type RecordRequestInput = z.input<typeof recordRequestSchema>;
