import { describe, expect, it } from 'vitest';
import type { MjcfJoint } from '../mjcf/index.ts';
import { LimitExcessTracker } from './limit-excess.ts';

const joint = (name: string, qposIndex: number, range: [number, number] | null, type: MjcfJoint['type'] = 'hinge'): MjcfJoint => ({
  name,
  type,
  body: 1,
  range,
  qposIndex,
  qvelIndex: qposIndex,
  armature: 0,
  damping: 0,
  stiffness: 0,
});

describe('LimitExcessTracker', () => {
  // knee starts outside its range at qpos0, as the humanoid's knees do; hip starts inside.
  const joints = [joint('hip', 0, [-1, 1]), joint('knee', 1, [-2, -0.1]), joint('free', 2, null, 'free')];
  const qpos0 = [0, 0, 0];

  it('keeps the worst excess beyond either end of any ranged joint, naming it', () => {
    const tracker = new LimitExcessTracker(joints, qpos0, 0.5);
    tracker.observe([1.2, -1, 9], 5, ' at step 6');
    tracker.observe([-1.1, -1, 9], 6);
    expect(tracker.worst.excess).toBeCloseTo(0.2);
    expect(tracker.worst.where).toBe('hip at step 6');
    tracker.observe([0, -2.5, 9], 7);
    expect(tracker.worst).toEqual({ excess: 0.5, where: 'knee' });
  });

  it('skips a joint that starts outside its range for the first second after a reset only', () => {
    const tracker = new LimitExcessTracker(joints, qpos0, 0.5); // one second = two steps
    tracker.observe([0, 0.3, 0], 0);
    tracker.observe([0, 0.3, 0], 1);
    expect(tracker.worst.excess).toBe(0);
    tracker.observe([0, 0.3, 0], 2);
    expect(tracker.worst.excess).toBeCloseTo(0.4);
  });
});
