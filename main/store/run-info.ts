/**
 * run.json: what a run is (config, versions, parent, video schedule) and where it stands (status, summary).
 * Rewritten atomically on every change; validated whenever it is read back.
 */
import path from 'node:path';
import { z } from 'zod';
import { runConfigSchema } from '../config/run-config.ts';
import { videoScheduleSchema } from '../config/video-schedule.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { readJsonFile } from './json-file.ts';

const RUN_INFO_FILE = 'run.json';

export const RUN_STATUSES = ['created', 'running', 'paused', 'stopped', 'finished', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const runInfoSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    status: z.enum(RUN_STATUSES),
    config: runConfigSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    versions: z.object({ gaitlab: z.string(), node: z.string(), backend: z.string().optional() }).strict(),
    /** Set on a fork: the run and checkpoint step it started from. */
    parent: z
      .object({ runId: z.string().min(1), step: z.number().int().min(0) })
      .strict()
      .optional(),
    /** Set on a sweep's trial: the sweep (runs/sweeps/<id>/) and the trial's index in it. */
    sweep: z
      .object({ id: z.string().min(1), trial: z.number().int().min(0) })
      .strict()
      .optional(),
    error: z.string().optional(),
    /** Why a stopped run stopped when no one asked (a signal, the app that started it exited). */
    stopReason: z.string().optional(),
    /** Latest headline numbers (step, return_mean, wall_s...), for run lists without reading metrics. */
    summary: z.record(z.string(), z.number()).optional(),
    /** Videos to record while the run trains (see video-schedule.ts). */
    videoSchedule: videoScheduleSchema.optional(),
  })
  .strict();

export type RunInfo = z.infer<typeof runInfoSchema>;

export function readRunInfo(runDir: string): RunInfo {
  return readJsonFile(path.join(runDir, RUN_INFO_FILE), runInfoSchema);
}

/** Validates before writing, so a run.json this process writes always reads back. */
export function writeRunInfo(runDir: string, info: RunInfo): RunInfo {
  const file = path.join(runDir, RUN_INFO_FILE);
  const result = runInfoSchema.safeParse(info);
  if (!result.success) throw new Error(`refusing to write an invalid ${file}:\n${z.prettifyError(result.error)}`);
  writeFileAtomic(file, `${JSON.stringify(result.data, null, 2)}\n`);
  return result.data;
}
