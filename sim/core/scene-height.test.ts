import { describe, expect, it } from 'vitest';
import type { Scene, SceneGeom } from './scene.ts';
import { hasFloor, lowestPoint } from './scene-height.ts';

const geom = (
  type: SceneGeom['type'],
  size: number[],
  pos: [number, number, number] = [0, 0, 0],
  quat: [number, number, number, number] = [0, 0, 0, 1],
): SceneGeom => ({ type, size, pos, quat, rgba: [1, 1, 1, 1] });

const scene: Scene = {
  id: 'test',
  up: 'z',
  bodies: [
    { name: 'world', parent: -1, geoms: [geom('plane', [0, 0, 1]), geom('sphere', [5])] },
    { name: 'ball', parent: -1, geoms: [geom('sphere', [0.1], [0, 0, 0.5])] },
    // A capsule along the body's z axis, half-length 0.3, radius 0.05; a box, which is not counted.
    { name: 'rod', parent: -1, geoms: [geom('capsule', [0.05, 0.3]), geom('box', [1, 1, 1])] },
  ],
};

describe('lowestPoint', () => {
  it('takes the lowest sphere or capsule surface of the robot, not the world', () => {
    const s = Math.SQRT1_2;
    // ball body at z 1 (its sphere at 1.5), rod upright at z 2: lowest 2 - 0.3 - 0.05 = 1.65 > 1.4
    const frame = Float32Array.of(0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 1);
    expect(lowestPoint(scene, frame)).toBeCloseTo(1.4, 6);
    // The rod lying down (90° about x) at z 1: only its radius reaches down; the ball's body rolled
    // 90° about x carries its sphere sideways, to z 1.
    const lying = Float32Array.of(0, 0, 0, 0, 0, 0, 1, 0, 0, 1, s, 0, 0, s, 0, 0, 1, s, 0, 0, s);
    expect(lowestPoint(scene, lying)).toBeCloseTo(0.9, 6);
    // Frames read from an offset (a trajectory of several steps).
    expect(lowestPoint(scene, [...Array(21).fill(7), ...lying], 21)).toBeCloseTo(0.9, 6);
  });

  it('knows a floor plane at z 0', () => {
    expect(hasFloor(scene)).toBe(true);
    expect(hasFloor({ ...scene, bodies: [{ name: 'world', parent: -1, geoms: [] }] })).toBe(false);
  });
});
