/**
 * Videos recorded while a run trains: every Nth checkpoint the Lab sees, one evaluation episode
 * of that checkpoint (Isaac Lab's `--video_interval`, Gymnasium's RecordVideo trigger, counted in
 * checkpoints). Set per run for this Lab's session. A checkpoint that comes while another video
 * is being recorded is skipped: recordings queue on no one's cores.
 */
import { z } from 'zod';
import { videoSettingsSchema } from '../video/record-request.ts';

export const videoScheduleSchema = z
  .object({
    everyCheckpoints: z.number().int().min(1).max(1000),
    settings: videoSettingsSchema,
  })
  .strict();
export type VideoSchedule = z.infer<typeof videoScheduleSchema>;
export type VideoScheduleInput = z.input<typeof videoScheduleSchema>;

export class VideoSchedules {
  private readonly schedules = new Map<string, { schedule: VideoSchedule; seen: number }>();

  set(runId: string, schedule: VideoSchedule | null): void {
    if (schedule) this.schedules.set(runId, { schedule, seen: 0 });
    else this.schedules.delete(runId);
  }

  get(runId: string): VideoSchedule | null {
    return this.schedules.get(runId)?.schedule ?? null;
  }

  /** A checkpoint of the run was written: what to record of it, if it is due. */
  due(runId: string, step: number): (VideoSchedule['settings'] & { checkpoint: number }) | null {
    const entry = this.schedules.get(runId);
    if (!entry || entry.seen++ % entry.schedule.everyCheckpoints !== 0) return null;
    return { ...entry.schedule.settings, checkpoint: step };
  }
}
