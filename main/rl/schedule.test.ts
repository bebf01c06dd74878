import { describe, expect, it } from 'vitest';
import { linearAnneal } from './schedule.ts';

describe('linearAnneal (CleanRL)', () => {
  it('starts at the initial value and loses initial / totalUpdates per update', () => {
    expect(linearAnneal(3e-4, 1, 10)).toBe(3e-4);
    expect(linearAnneal(3e-4, 6, 10)).toBeCloseTo(1.5e-4, 12);
    expect(linearAnneal(3e-4, 10, 10)).toBeCloseTo(3e-5, 12);
  });
});
