import { describe, expect, it } from 'vitest';
import { clipFrameCount, jobFrameCount, stepAtFrame } from './record-job.ts';

const clip = (steps: number, dtSeconds: number) => ({ rewards: new Array<number>(steps).fill(0), dtSeconds });

describe('the video timeline', () => {
  it('shows one env step per frame at the real-time rate', () => {
    expect(clipFrameCount(200, 0.05, null)).toBe(200);
    expect([0, 1, 199, 250].map((k) => stepAtFrame(k, 200, 0.05, null))).toEqual([0, 1, 199, 199]);
  });

  it('resamples to another rate by the step under way at each frame time', () => {
    // Hopper: dt 0.008 s (125 steps a second) at 30 fps.
    expect(clipFrameCount(1000, 0.008, 30)).toBe(240);
    expect([0, 1, 2, 3, 239].map((k) => stepAtFrame(k, 1000, 0.008, 30))).toEqual([0, 4, 8, 12, 995]);
    // Pendulum at 20 fps is its own rate: the same frames as real time.
    expect(Array.from({ length: 200 }, (_, k) => stepAtFrame(k, 200, 0.05, 20))).toEqual(Array.from({ length: 200 }, (_, k) => k));
  });

  it('adds clips up in a sequence and takes the longest in a grid', () => {
    const clips = [clip(200, 0.05), clip(120, 0.05)];
    expect(jobFrameCount({ clips, fps: null, layout: 'sequence' })).toBe(320);
    expect(jobFrameCount({ clips, fps: 10, layout: 'grid' })).toBe(100);
  });
});
