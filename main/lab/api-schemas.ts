/**
 * The argument schemas of every LabApi call. Main validates each call from the renderer (IPC or
 * WebSocket) with these before the Lab sees it; the values inside a run request are then checked
 * by the same schemas as the CLI's (see new-run.ts).
 */
import { z } from 'zod';
import { hparamValueSchema, withoutReservedNames } from '../config/run-config.ts';
import { trainerCommandSchema } from '../trainer/protocol.ts';
import { recordRequestSchema } from '../config/record-request.ts';
import { videoScheduleSchema } from '../config/video-schedule.ts';
import type { LabMethod } from './api.ts';

/** A run id names a folder in the runs folder: no separators, no leading dot (never a path). */
export const runIdSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a run id');

/** A file name in a run's videos/ folder (never a path); the Lab serves only names listVideos gives. */
const videoNameSchema = z
  .string()
  .max(255)
  .regex(/^[^/\\.][^/\\]*$/, 'not a file name');

/** A stored episode's name in a run's trajectories/ folder (never a path). */
const trajectoryNameSchema = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a trajectory name');

const idSchema = z.string().min(1).max(200);

/** A sweep spec as an object; its contents are checked by the sweep spec's own schema (config/sweep-spec.ts). */
const sweepSpecArgSchema = z.record(z.string().max(100), z.unknown());

/** Where a sweep's trials train: the queue's URL is checked by the sweep layer (a redis:// URL it can reach). */
const sweepTrainOptionsSchema = z.object({ queue: z.string().max(2000).optional() }).strict();

const newRunRequestSchema = z
  .object({
    env: idSchema,
    algo: idSchema,
    seed: z.unknown(),
    totalSteps: z.unknown(),
    hparams: withoutReservedNames(z.record(z.string().max(100), z.unknown())),
    name: z.string().max(200).optional(),
  })
  .strict();

const forkRequestSchema = z
  .object({
    step: z.number().int().min(0),
    hparams: withoutReservedNames(z.record(z.string().max(100), hparamValueSchema)),
    totalSteps: z.number().int().positive().optional(),
    name: z.string().max(200).optional(),
  })
  .strict();

export const labArgSchemas = {
  catalog: z.tuple([]),
  runDefaults: z.tuple([idSchema, idSchema]),
  validateRun: z.tuple([newRunRequestSchema]),
  createRun: z.tuple([newRunRequestSchema]),
  listRuns: z.tuple([]),
  getRun: z.tuple([runIdSchema]),
  scene: z.tuple([idSchema]),
  command: z.tuple([runIdSchema, trainerCommandSchema]),
  forkRun: z.tuple([runIdSchema, forkRequestSchema]),
  recordVideo: z.tuple([runIdSchema, recordRequestSchema]),
  cancelVideo: z.tuple([runIdSchema]),
  listVideos: z.tuple([runIdSchema]),
  videoLocation: z.tuple([runIdSchema, videoNameSchema]),
  revealVideo: z.tuple([runIdSchema, videoNameSchema]),
  setVideoSchedule: z.tuple([runIdSchema, videoScheduleSchema.nullable()]),
  listCheckpoints: z.tuple([runIdSchema]),
  playCheckpoint: z.tuple([runIdSchema, z.number().int().min(0).nullable()]),
  listTrajectories: z.tuple([runIdSchema]),
  readTrajectory: z.tuple([runIdSchema, trajectoryNameSchema]),
  validateSweep: z.tuple([sweepSpecArgSchema]),
  startSweep: z.tuple([sweepSpecArgSchema, sweepTrainOptionsSchema.optional()]),
  listSweeps: z.tuple([]),
  // A sweep id names a folder in runs/sweeps/ as a run id does one in runs/.
  getSweep: z.tuple([runIdSchema]),
  stopSweep: z.tuple([runIdSchema]),
  resumeSweep: z.tuple([runIdSchema, sweepTrainOptionsSchema.optional()]),
} satisfies Record<LabMethod, z.ZodTuple>;
