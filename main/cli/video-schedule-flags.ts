/**
 * `gaitlab train`'s video flags as a video schedule (video-schedule.ts): `--video-every N`
 * (updates) or `--video-schedule capped-cubic`, and `--video-size WxH` for either. Checked by the
 * schedule's own schema; each problem is named by its flag.
 */
import { videoScheduleSchema, type VideoSchedule } from '../config/video-schedule.ts';

export interface VideoFlags {
  videoEvery?: number;
  videoSchedule?: 'capped-cubic';
  videoSize?: string;
}

const SIZE = /^(\d+)x(\d+)$/;
const FLAG_OF: Record<string, string> = { every: '--video-every', width: '--video-size (width)', height: '--video-size (height)' };

/** The schedule the flags ask for, or undefined when they ask for none. */
export function videoScheduleFromFlags(flags: VideoFlags): VideoSchedule | undefined {
  if (flags.videoEvery === undefined && flags.videoSchedule === undefined) {
    if (flags.videoSize !== undefined) throw new Error('--video-size is the size of scheduled videos: add --video-every N or --video-schedule capped-cubic');
    return undefined;
  }
  let size = {};
  if (flags.videoSize !== undefined) {
    const match = SIZE.exec(flags.videoSize);
    if (!match) throw new Error(`--video-size expects WIDTHxHEIGHT, e.g. 640x360; got "${flags.videoSize}"`);
    size = { width: Number(match[1]), height: Number(match[2]) };
  }
  const input =
    flags.videoSchedule === 'capped-cubic' ? { kind: 'capped-cubic', settings: size } : { kind: 'updates', every: flags.videoEvery, settings: size };
  const parsed = videoScheduleSchema.safeParse(input);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => `${FLAG_OF[String(issue.path.at(-1))] ?? '--video-*'}: ${issue.message}`).join('; '));
  return parsed.data;
}
