import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';

describe('Rng', () => {
  it('repeats a stream bit for bit from the same seed, and differs across seeds', () => {
    const draw = (seed: number) => {
      const rng = Rng.fromSeed(seed);
      return Array.from({ length: 50 }, () => rng.uniform());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('restores its state, including the cached Gaussian', () => {
    const rng = Rng.fromSeed(1);
    rng.normal(); // leaves a spare cached
    const saved = rng.getState();
    const expected = [rng.normal(), rng.uniform(), rng.normal()];
    const copy = new Rng();
    copy.setState(JSON.parse(JSON.stringify(saved))); // checkpoints store it as JSON
    expect([copy.normal(), copy.uniform(), copy.normal()]).toEqual(expected);
    // With no spare cached (NaN becomes null in JSON) the stream also resumes exactly.
    const fresh = Rng.fromSeed(2);
    const restored = new Rng();
    restored.setState(JSON.parse(JSON.stringify(fresh.getState())));
    expect([restored.normal(), restored.normal()]).toEqual([fresh.normal(), fresh.normal()]);
  });

  it('has the moments of its distributions', () => {
    const rng = Rng.fromSeed(3);
    const n = 100_000;
    let su = 0, sn = 0, sn2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      su += u;
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 1);
    expect(sn2 / n).toBeCloseTo(1, 1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.int(3)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});
