import { describe, expect, it } from 'vitest';
import { hashOfView, viewFromHash, type View } from './route.ts';

describe('route', () => {
  it('gives each view an address and reads it back', () => {
    const views: View[] = [
      { kind: 'new' },
      { kind: 'run', runId: '20261206-0432-ppo-Pendulum-v1' },
      { kind: 'run', runId: 'a b/c,d' },
      { kind: 'compare', runIds: ['run-1', 'run-2', 'run-3'] },
      { kind: 'sweeps' },
      { kind: 'sweep', sweepId: '20261206-043210-pbt-Hopper-v0-3f2a' },
    ];
    for (const view of views) expect(viewFromHash(hashOfView(view))).toEqual(view);
    expect(hashOfView({ kind: 'run', runId: 'run-1' })).toBe('#/runs/run-1');
    expect(hashOfView({ kind: 'sweep', sweepId: 's-1' })).toBe('#/sweeps/s-1');
    expect(viewFromHash('#/sweeps/')).toEqual({ kind: 'sweeps' });
  });

  it('shows New run for no address or one it does not know', () => {
    for (const hash of ['', '#', '#/', '#/runs/', '#/compare/only-one', '#/nope/x', '#/runs/%E0%A4%A', '#/sweeps/a,b']) {
      expect(viewFromHash(hash), hash).toEqual({ kind: 'new' });
    }
  });
});
