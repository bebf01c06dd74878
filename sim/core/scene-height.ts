/**
 * Heights above the floor from a Frame: what the physics checks (nothing sinks through the floor)
 * and the gait analysis (is the robot in the air?) need. Spheres and capsules only, the geoms that
 * touch the ground on every locomotion robot here.
 */
import { FRAME_STRIDE, type Frame, type Scene } from './scene.ts';

/**
 * The z row of a body's rotation matrix, from its pose at `o` in a frame: the world z components of
 * its x, y and z axes (the last is how upright it stands).
 */
export function zRow(frame: Frame | readonly number[], o: number): [number, number, number] {
  const [qx, qy, qz, qw] = [frame[o + 3], frame[o + 4], frame[o + 5], frame[o + 6]];
  return [2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy)];
}

/** Lowest point of every sphere or capsule of the robot (bodies 1..; body 0 is the world) in a frame at `offset`. */
export function lowestPoint(scene: Scene, frame: Frame | readonly number[], offset = 0): number {
  let lowest = Infinity;
  scene.bodies.forEach((body, b) => {
    if (b === 0) return;
    const o = offset + FRAME_STRIDE * b;
    const row = zRow(frame, o);
    const zOf = (p: readonly number[]) => frame[o + 2] + row[0] * p[0] + row[1] * p[1] + row[2] * p[2];
    for (const g of body.geoms) {
      if (g.type !== 'sphere' && g.type !== 'capsule') continue;
      let reach = 0;
      if (g.type === 'capsule') {
        // the geom's z axis in the body frame, then its world z component
        const [x, y, z, w] = g.quat;
        const axis = [2 * (x * z + y * w), 2 * (y * z - x * w), 1 - 2 * (x * x + y * y)];
        reach = Math.abs(row[0] * axis[0] + row[1] * axis[1] + row[2] * axis[2]) * g.size[1];
      }
      lowest = Math.min(lowest, zOf(g.pos) - reach - g.size[0]);
    }
  });
  return lowest;
}

/** Whether the world has a floor plane at z = 0. */
export const hasFloor = (scene: Scene): boolean => scene.bodies[0].geoms.some((g) => g.type === 'plane' && g.pos[2] === 0);
