import { describe, expect, it } from 'vitest';
import { makeEnv } from '../index.ts';
import { ClipAction } from './clip-action.ts';

describe('ClipAction', () => {
  it('clips to the Box before the env sees the action', () => {
    // MountainCarContinuous charges 0.1·a² on the action it receives, so the cost shows the clipping.
    const raw = makeEnv('MountainCarContinuous-v0');
    const clipped = new ClipAction(makeEnv('MountainCarContinuous-v0'));
    raw.reset({ state: [-0.5, 0] });
    clipped.reset({ state: [-0.5, 0] });
    expect(raw.step([3]).reward).toBeCloseTo(-0.9, 12);
    expect(clipped.step([3]).reward).toBeCloseTo(-0.1, 12);
    expect(clipped.step([-0.5]).reward).toBeCloseTo(-0.025, 12);
    expect(clipped.step([-7]).reward).toBeCloseTo(-0.1, 12);
  });

  it('needs a Box action space of the right size', () => {
    expect(() => new ClipAction(makeEnv('CartPole-v1'))).toThrow('Box action space');
    const env = new ClipAction(makeEnv('Pendulum-v1'));
    env.reset({ seed: 0 });
    expect(() => env.step([0, 0])).toThrow('1 components');
  });
});
