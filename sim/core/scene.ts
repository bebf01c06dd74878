/**
 * What the viewer draws: a `Scene` (made once per env) and `Frame`s (body poses at one instant).
 * Z is up. The renderer places each geom at `frame pose of its body ∘ (geom pos, geom quat)`.
 */

export type GeomType = 'sphere' | 'capsule' | 'cylinder' | 'box' | 'ellipsoid' | 'plane';

export interface SceneGeom {
  type: GeomType;
  /**
   * MuJoCo's sizes, lengths in metres: sphere [radius]; capsule and cylinder [radius, half-length]
   * along the geom's z axis (a capsule's length excludes its end caps); box [hx, hy, hz] half
   * extents; ellipsoid [rx, ry, rz] semi-axes; plane [hx, hy, grid spacing] with its normal along
   * z (hx = 0 or hy = 0 means infinite in that direction).
   */
  size: number[];
  /** Position in the body frame. */
  pos: [number, number, number];
  /** Orientation in the body frame, (x, y, z, w) like three.js and Rapier. */
  quat: [number, number, number, number];
  rgba: [number, number, number, number];
}

export interface SceneBody {
  name: string;
  /** Index of the parent body in `Scene.bodies`; -1 when the body hangs from the world frame. */
  parent: number;
  geoms: SceneGeom[];
}

export interface Scene {
  /** Names the scene for trajectories and replays, e.g. `Pendulum-v1` or `mjcf/hopper`. */
  id: string;
  bodies: SceneBody[];
  up: 'z';
}

/**
 * Body poses in the world frame, 7 floats per body in `Scene.bodies` order:
 * (x, y, z, qx, qy, qz, qw).
 */
export type Frame = Float32Array;

/** Floats per body in a `Frame`. */
export const FRAME_STRIDE = 7;
