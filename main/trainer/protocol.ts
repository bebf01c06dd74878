/**
 * Messages between the Lab (Electron main or `gaitlab serve`) and a trainer process (one per
 * active run). Both directions are validated with these schemas: a trainer is another process,
 * and the renderer's commands reach it through the Lab.
 */
import { z } from 'zod';
import { hparamsSchema } from '../config/run-config.ts';
import { RUN_STATUSES, type RunStatus } from '../store/run-info.ts';
import type { TrajectoryMessage } from '../store/trajectory-file.ts';
import { videoScheduleSchema } from '../config/video-schedule.ts';

/** Lab -> trainer. */
export const trainerCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('set-hparams'), values: hparamsSchema }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('checkpoint') }),
  z.object({ type: z.literal('evaluate') }),
  // The trainer is the run's one writer while it trains: the Lab's schedule reaches run.json through it.
  z.object({ type: z.literal('set-video-schedule'), schedule: videoScheduleSchema.nullable() }),
]);
export type TrainerCommand = z.infer<typeof trainerCommandSchema>;

/** Trainer -> Lab. */
export type TrainerMessage =
  | { type: 'started'; runId: string; backend: string; step: number }
  /** `step`: the exact env step reached; `error`: why a run failed; `reason`: why it stopped unasked. */
  | { type: 'status'; status: RunStatus; step: number; error?: string; reason?: string }
  | { type: 'metrics'; row: Record<string, number | null> }
  | { type: 'event'; event: { type: string; step: number; wallSeconds: number; [key: string]: unknown } }
  | { type: 'trajectory'; trajectory: TrajectoryMessage }
  | { type: 'checkpoint'; step: number; update: number };

// Added by the Lab/UI side: the schema the Lab validates every trainer message with (the
// TypeScript type above stays the source of truth; `satisfies` keeps the two in step).
const trajectorySchema = z.object({
  envId: z.string(),
  dtSeconds: z.number().positive(),
  numBodies: z.number().int().min(0),
  frames: z.array(z.number()),
  rewards: z.array(z.number()),
  update: z.number().int().min(0),
  step: z.number().int().min(0),
  episodeReturn: z.number(),
  deterministic: z.boolean(),
});

export const trainerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), runId: z.string(), backend: z.string(), step: z.number() }),
  z.object({ type: z.literal('status'), status: z.enum(RUN_STATUSES), step: z.number(), error: z.string().optional(), reason: z.string().optional() }),
  z.object({ type: z.literal('metrics'), row: z.record(z.string(), z.number().nullable()) }),
  z.object({ type: z.literal('event'), event: z.looseObject({ type: z.string(), step: z.number(), wallSeconds: z.number() }) }),
  z.object({ type: z.literal('trajectory'), trajectory: trajectorySchema }),
  z.object({ type: z.literal('checkpoint'), step: z.number(), update: z.number().int().min(0) }),
]) satisfies z.ZodType<TrainerMessage>;
