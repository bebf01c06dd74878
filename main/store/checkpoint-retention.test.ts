import { describe, expect, it } from 'vitest';
import { checkpointsToDiscard, milestoneSteps } from './checkpoint-retention.ts';

/** What is left after writing `steps` in order with the retention rule. */
function keptAfterWriting(steps: number[], keepLatest: number): number[] {
  let onDisk: number[] = [];
  for (const step of steps) {
    onDisk = [...onDisk.filter((s) => s !== step), step];
    const discard = new Set(checkpointsToDiscard(onDisk, step, keepLatest));
    onDisk = onDisk.filter((s) => !discard.has(s));
  }
  return onDisk.sort((a, b) => a - b);
}

const every = (interval: number, count: number) => Array.from({ length: count }, (_, i) => (i + 1) * interval);

describe('checkpoint retention', () => {
  it('takes the earliest checkpoint and the first one at or past each power of two steps as milestones', () => {
    expect([...milestoneSteps([])]).toEqual([]);
    expect([...milestoneSteps([0, 3, 5, 6, 7, 9])].sort((a, b) => a - b)).toEqual([0, 3, 5, 9]);
    expect([...milestoneSteps(every(20_480, 48))].sort((a, b) => a - b)).toEqual([20_480, 40_960, 81_920, 143_360, 266_240, 532_480]);
  });

  it('keeps the latest checkpoints and the milestones of a long run, at most log2(last / first) + 2', () => {
    // A million steps, checkpointed every 20k: 48 written, 5 latest + 6 milestones kept.
    const kept = keptAfterWriting(every(20_480, 48), 5);
    expect(kept).toEqual([20_480, 40_960, 81_920, 143_360, 266_240, 532_480, 901_120, 921_600, 942_080, 962_560, 983_040]);
    for (const [interval, count] of [
      [512, 2000],
      [64, 10_000],
      [10_240, 977],
    ]) {
      const milestones = keptAfterWriting(every(interval, count), 1).length - 1;
      expect(milestones).toBeLessThanOrEqual(Math.log2(count) + 2);
      expect(milestones).toBeGreaterThanOrEqual(Math.log2(count) - 1);
    }
  });

  it('never deletes a milestone, whatever comes after it', () => {
    const steps = every(1000, 300);
    for (let n = 1; n < steps.length; n++) {
      const before = milestoneSteps(steps.slice(0, n));
      const kept = new Set(keptAfterWriting(steps.slice(0, n + 1), 2));
      for (const milestone of before) expect(kept.has(milestone), `milestone ${milestone} after ${n + 1} checkpoints`).toBe(true);
    }
  });

  it('keeps the one just written when a resumed run writes a lower step than those on disk', () => {
    // Milestones: 1000, then 2000 (>= 1024), 3000 (>= 2048), 5000 (>= 4096).
    expect(checkpointsToDiscard([1000, 2000, 3000, 5000, 6000], 3000, 1)).toEqual([6000]);
    expect(checkpointsToDiscard([1000, 2000, 3000, 5000, 6000], 3000, 2)).toEqual([]);
    expect(checkpointsToDiscard([1000, 1500, 1800, 2000, 3000], 3000, 1)).toEqual([1800, 2000]);
  });
});
