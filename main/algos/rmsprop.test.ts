import { describe, expect, it } from 'vitest';
import { RmsProp } from './rmsprop.ts';

describe('RmsProp', () => {
  it('takes torch.optim.RMSprop steps (alpha 0.99, eps 1e-5, not centered)', () => {
    const opt = new RmsProp([1]);
    const p = Float32Array.of(1),
      g = new Float32Array(1);
    // Hand-computed: v = 0.99 v + 0.01 g², p -= lr · g / (√v + 1e-5).
    const steps = [
      { grad: 0.5, lr: 0.1, p: 0.00019996000799848979, v: 0.0025 },
      { grad: -0.25, lr: 0.05, p: 0.2246662722016707, v: 0.0031 },
      { grad: 0.1, lr: 0.1, p: 0.047058592945668554, v: 0.003169 },
    ];
    for (const step of steps) {
      g[0] = step.grad;
      expect(opt.step([p], [g], step.lr)).toBeCloseTo(Math.abs(step.grad), 7);
      expect(p[0]).toBeCloseTo(step.p, 6);
      expect(opt.getState().arrays['square_avg/0'][0]).toBeCloseTo(step.v, 8);
    }
    expect(opt.getState().scalars).toEqual({ step: 3 });
  });

  it('clips the global gradient norm over all groups first', () => {
    const opt = new RmsProp([2, 1]);
    const params = [new Float32Array(2), new Float32Array(1)];
    expect(opt.step(params, [Float32Array.of(3, 0), Float32Array.of(4)], 0.1, 1)).toBeCloseTo(5, 6);
    expect(opt.getState().arrays['square_avg/1'][0]).toBeCloseTo(0.01 * (4 / 5) ** 2, 6);
  });

  it('resumes exactly from its state and rejects a state for other shapes', () => {
    const grads = [Float32Array.of(0.3, -0.1)];
    const a = new RmsProp([2]),
      params = [Float32Array.of(1, 2)];
    a.step(params, grads, 0.01);
    const b = new RmsProp([2]);
    const saved = a.getState();
    b.setState({ scalars: saved.scalars, arrays: { 'square_avg/0': Float64Array.from(saved.arrays['square_avg/0']) } });
    const copy = [params[0].slice()];
    a.step(params, grads, 0.01);
    b.step(copy, grads, 0.01);
    expect(copy).toEqual(params);
    expect(() => new RmsProp([3]).setState(saved)).toThrow('square_avg/0');
    expect(() => new RmsProp([3]).step(params, grads, 0.1)).toThrow('groups of sizes [3]');
  });
});
