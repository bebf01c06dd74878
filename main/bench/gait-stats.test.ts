import { describe, expect, it } from 'vitest';
import type { Scene } from '../../sim/core/scene.ts';
import { gaitStats } from './gait-stats.ts';

const ball: Scene = {
  id: 'ball',
  up: 'z',
  bodies: [
    { name: 'world', parent: -1, geoms: [] },
    { name: 'ball', parent: -1, geoms: [{ type: 'sphere', size: [0.1], pos: [0, 0, 0], quat: [0, 0, 0, 1], rgba: [1, 1, 1, 1] }] },
  ],
};

/** Frames of the ball at these heights of its centre. */
const frames = (heights: number[]) => heights.flatMap((z) => [0, 0, 0, 0, 0, 0, 1, 0, 0, z, 0, 0, 0, 1]);

describe('gaitStats', () => {
  it('counts steps in the air and take-offs', () => {
    // on the ground, up for 3 steps, down for 2, up for 1, down, down
    const heights = [0.1, 0.3, 0.5, 0.3, 0.1, 0.1, 0.2, 0.1, 0.1, 0.1];
    const stats = gaitStats(ball, frames(heights), heights.length, 0.01, 0.005);
    expect(stats).toEqual({
      steps: 10,
      airborneFraction: 0.4,
      flightPhases: 2,
      flightsPerSecond: 20,
      rootHeightRange: [0.1, 0.5],
      rootTiltMaxDeg: 0,
    });
  });

  it('sees no flight in a robot that never leaves the floor, and a flight that starts in the air', () => {
    expect(gaitStats(ball, frames([0.1, 0.1, 0.102]), 3, 0.01, 0.005).flightPhases).toBe(0);
    expect(gaitStats(ball, frames([0.4, 0.1]), 2, 0.01, 0.005).flightPhases).toBe(1);
  });

  it('reports how far the root body tilts: upright, on its side, upside down', () => {
    const tilted = (qx: number, qw: number) => [0, 0, 0, 0, 0, 0, 1, 0, 0, 0.2, qx, 0, 0, qw];
    const s45 = Math.sin(Math.PI / 4),
      c45 = Math.cos(Math.PI / 4);
    // quaternions of 0, 90 and 180 degrees about x
    const frames = [...tilted(0, 1), ...tilted(s45, c45)];
    expect(gaitStats(ball, frames, 2, 0.01, 0.005).rootTiltMaxDeg).toBeCloseTo(90, 6);
    expect(gaitStats(ball, [...frames, ...tilted(1, 0)], 3, 0.01, 0.005).rootTiltMaxDeg).toBeCloseTo(180, 6);
    expect(gaitStats(ball, tilted(0, 1), 1, 0.01, 0.005).rootTiltMaxDeg).toBe(0);
  });
});
