import { describe, expect, it } from 'vitest';
import { Adam } from './adam.ts';

describe('Adam', () => {
  it('takes torch.optim.Adam steps (eps 1e-5, bias correction, learning rate per step)', () => {
    const adam = new Adam([1]);
    const p = Float32Array.of(1),
      g = new Float32Array(1);
    // Hand-computed: m = 0.9 m + 0.1 g, v = 0.999 v + 0.001 g², p -= lr / (1 - 0.9^t) · m / (√v / √(1 - 0.999^t) + 1e-5).
    const steps = [
      { grad: 0.5, lr: 0.1, p: 0.9000019999600007 },
      { grad: -0.25, lr: 0.05, p: 0.8866854849116944 },
      { grad: 0.1, lr: 0.1, p: 0.8551620900803469 },
    ];
    for (const step of steps) {
      g[0] = step.grad;
      expect(adam.step([p], [g], step.lr)).toBeCloseTo(Math.abs(step.grad), 7);
      expect(p[0]).toBeCloseTo(step.p, 6);
    }
    const state = adam.getState();
    expect(state.scalars).toEqual({ step: 3 });
    expect(state.arrays['exp_avg/0'][0]).toBeCloseTo(0.028, 7);
    expect(state.arrays['exp_avg_sq/0'][0]).toBeCloseTo(0.00032193775, 9);
  });

  it('clips the global norm over all groups like clip_grad_norm_, returning the norm before clipping', () => {
    const adam = new Adam([2, 1]);
    const params = [new Float32Array(2), new Float32Array(1)];
    const grads = [Float32Array.of(3, 0), Float32Array.of(4)];
    expect(adam.step(params, grads, 0.1, 1)).toBeCloseTo(5, 6);
    // The moments saw the clipped gradient g / (5 + 1e-6); the grads themselves are untouched.
    expect(adam.getState().arrays['exp_avg/0'][0]).toBeCloseTo((0.1 * 3) / 5, 6);
    expect(adam.getState().arrays['exp_avg/1'][0]).toBeCloseTo((0.1 * 4) / 5, 6);
    expect(Array.from(grads[1])).toEqual([4]);

    const unclipped = new Adam([2, 1]);
    unclipped.step(params, grads, 0.1, 10);
    expect(unclipped.getState().arrays['exp_avg/1'][0]).toBeCloseTo(0.4, 6);
  });

  it('resumes bit-for-bit from getState / setState', () => {
    const grads = [Float32Array.of(0.3, -0.1), Float32Array.of(2)];
    const run = (adam: Adam, params: Float32Array[], steps: number) => {
      for (let s = 0; s < steps; s++) adam.step(params, grads, 0.01 * (s + 1), 0.5);
    };
    const original = new Adam([2, 1]);
    const params = [Float32Array.of(1, 2), Float32Array.of(3)];
    run(original, params, 3);
    const restored = new Adam([2, 1]);
    // As read back from a checkpoint: scalars from JSON, arrays possibly as Float64Array.
    const saved = original.getState();
    const arrays = Object.fromEntries(Object.entries(saved.arrays).map(([name, a]) => [name, Float64Array.from(a)]));
    restored.setState({ scalars: JSON.parse(JSON.stringify(saved.scalars)) as Record<string, number>, arrays });
    const restoredParams = params.map((p) => p.slice());
    run(original, params, 2);
    run(restored, restoredParams, 2);
    expect(restoredParams).toEqual(params);
  });

  it('rejects state or gradients shaped for other networks', () => {
    const adam = new Adam([2, 1]);
    expect(() => adam.step([new Float32Array(2)], [new Float32Array(2)], 0.1)).toThrow('Adam was built for groups of sizes [2, 1] but got params of sizes [2]');
    expect(() => adam.setState({ scalars: { step: 1 }, arrays: { 'exp_avg/0': new Float32Array(3) } })).toThrow(
      'Adam state "exp_avg/0" should hold 2 values, found 3',
    );
    expect(() => adam.setState({ scalars: {}, arrays: {} })).toThrow('Adam state has no valid "step"');
  });
});
