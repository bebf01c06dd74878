import { describe, expect, it } from 'vitest';
import { runInLanes } from './learn-runs.ts';

describe('runInLanes', () => {
  it('keeps the items order, runs at most `lanes` at once and uses them all', async () => {
    let running = 0;
    let most = 0;
    const delays = [30, 5, 20, 5, 10, 1];
    const results = await runInLanes(delays, 2, async (ms) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return ms * 10;
    });
    expect(results).toEqual(delays.map((ms) => ms * 10));
    expect(most).toBe(2);
  });

  it('runs one at a time with one lane, and copes with fewer items than lanes', async () => {
    const order: number[] = [];
    await runInLanes([3, 1, 2], 1, async (n) => {
      await new Promise((resolve) => setTimeout(resolve, n));
      order.push(n);
    });
    expect(order).toEqual([3, 1, 2]);
    expect(await runInLanes([7], 4, async (n) => n + 1)).toEqual([8]);
  });
});
