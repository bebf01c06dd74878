import { describe, expect, it } from 'vitest';
import { updatesDue, videoScheduleSchema } from './video-schedule.ts';

describe('video schedules', () => {
  it('are every N updates or capped-cubic, with the video settings defaulted', () => {
    expect(videoScheduleSchema.parse({ kind: 'updates', every: 25 })).toEqual({
      kind: 'updates',
      every: 25,
      settings: { seed: 10_000, width: 1280, height: 720, fps: null, camera: 'follow', container: 'mp4' },
    });
    expect(videoScheduleSchema.parse({ kind: 'capped-cubic', settings: { width: 640, height: 360 } }).settings).toMatchObject({ width: 640, height: 360 });
    for (const bad of [
      { kind: 'updates', every: 0 },
      { kind: 'updates' },
      { kind: 'capped-cubic', every: 5 },
      { kind: 'weekly' },
      { kind: 'updates', every: 2, settings: { width: 333 } },
    ]) {
      expect(videoScheduleSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('every N updates: the first checkpoint at or past each multiple of N', () => {
    // Checkpoints every 10 updates, a video every 25: at 30, 50, 80, 100.
    const checkpoints = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    const due = checkpoints.filter((update, i) => updatesDue(25, checkpoints[i - 1] ?? 0, update));
    expect(due).toEqual([30, 50, 80, 100]);
    // Fewer updates between videos than between checkpoints: every checkpoint.
    expect(checkpoints.filter((update, i) => updatesDue(4, checkpoints[i - 1] ?? 0, update))).toEqual(checkpoints);
    // Counted from where the schedule began: none is due for updates it spent unscheduled.
    expect(updatesDue(25, 57, 60)).toBe(false);
    expect(updatesDue(25, 57, 75)).toBe(true);
  });
});
