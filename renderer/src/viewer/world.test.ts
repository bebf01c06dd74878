/**
 * The viewer lost the robot once (empty ground for whole episodes, a huge capsule when zoomed out,
 * until the run was reopened). Two things in the world made one bad pose permanent or monstrous:
 * the camera's follow took a non-finite point and then stayed NaN for good (NaN never converges),
 * and a body's quaternion was applied as given, so one that is not unit length scaled its mesh by
 * its squared length. These tests pose the robot from such frames.
 */
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import type { Scene } from '../../../sim/core/scene.ts';
import { World } from './world.ts';

const scene: Scene = {
  id: 'test/torso',
  up: 'z',
  bodies: [{ name: 'torso', parent: -1, geoms: [{ type: 'capsule', size: [0.05, 0.2], pos: [0, 0, 0], quat: [1, 0, 0, 0], rgba: [0.8, 0.3, 0.2, 1] }] }],
} as Scene;

/** One body's pose: position, then quaternion (x, y, z, w). */
const pose = (x: number, qw = 1, qx = 0) => [x, 0, 1, qx, 0, 0, qw];

function stage(): { world: World; camera: THREE.PerspectiveCamera; view: ReturnType<World['frameEpisode']> } {
  const world = new World({ shadowMapSize: 64 });
  world.setRobot(scene);
  const camera = new THREE.PerspectiveCamera(40, 16 / 9, 0.05, 200);
  camera.up.set(0, 0, 1);
  const view = world.frameEpisode([...pose(0), ...pose(0.1)], camera, 'follow');
  return { world, camera, view };
}

describe('World', () => {
  it('keeps following the robot after a frame with a non-finite pose', () => {
    const { world, camera, view } = stage();
    world.showFrame(pose(Number.NaN), 0);
    world.slide(camera, view, 0.5);
    expect(Number.isFinite(view.target.x) && Number.isFinite(camera.position.x)).toBe(true);
    world.showFrame(pose(4), 0);
    for (let i = 0; i < 60; i++) world.slide(camera, view, 0.5);
    expect(view.target.x).toBeCloseTo(4, 3);
  });

  it('draws a body at its own size whatever the length of its quaternion', () => {
    const { world } = stage();
    // A quarter turn about x, at twice unit length: drawn as given, the capsule is 8 times its size.
    world.showFrame(pose(0, 2, 2), 0);
    const robot = world.scene.children.find((child) => child.children.some((body) => body.name === 'torso'))!;
    robot.updateMatrixWorld(true);
    const size = new THREE.Box3().setFromObject(robot).getSize(new THREE.Vector3());
    expect(Math.max(size.x, size.y, size.z)).toBeCloseTo(0.5, 2);
    expect(size.y).toBeCloseTo(0.5, 2);
  });
});
