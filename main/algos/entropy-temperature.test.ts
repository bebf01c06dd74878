/** SAC's temperature tuning moves α toward the target entropy: down while the policy's entropy is above it, up while below. */
import { describe, expect, it } from 'vitest';
import { EntropyTemperature } from './entropy-temperature.ts';

describe('EntropyTemperature', () => {
  it('starts at α = 1 and lowers α when the entropy exceeds the target', () => {
    const temperature = new EntropyTemperature(-1); // one action dimension
    expect(temperature.alpha).toBe(1);
    // log π = -2: entropy 2 > -1. J = -α (log π + H_target) = -1 · (-2 - 1) = 3.
    const logProbs = new Float32Array(4).fill(-2);
    expect(temperature.update(logProbs, 4, 1e-3)).toBeCloseTo(3, 10);
    // Adam's first step moves by lr against the gradient's sign: log α = -1e-3.
    expect(temperature.logAlpha[0]).toBeCloseTo(-1e-3, 7);
    let previous = temperature.alpha;
    for (let i = 0; i < 20; i++) {
      temperature.update(logProbs, 4, 1e-3);
      expect(temperature.alpha).toBeLessThan(previous);
      previous = temperature.alpha;
    }
  });

  it('raises α when the entropy is below the target', () => {
    const temperature = new EntropyTemperature(-2); // two action dimensions
    // log π = 3 on average: entropy -3 < -2.
    const logProbs = Float32Array.from([2, 4, 3, 3]);
    expect(temperature.update(logProbs, 4, 1e-3)).toBeCloseTo(-1, 10);
    expect(temperature.logAlpha[0]).toBeCloseTo(1e-3, 7);
    let previous = temperature.alpha;
    for (let i = 0; i < 20; i++) {
      temperature.update(logProbs, 4, 1e-3);
      expect(temperature.alpha).toBeGreaterThan(previous);
      previous = temperature.alpha;
    }
  });

  it('stays put at the target entropy', () => {
    const temperature = new EntropyTemperature(-1);
    temperature.update(Float32Array.from([0.5, 1.5]), 2, 1e-3);
    expect(temperature.alpha).toBe(1);
  });
});
