/**
 * What the viewer draws for the classic-control tasks: Gymnasium renders them in 2-D, GaitLab in
 * the same 3-D scene as the robots (z up, the motion in the x–z plane).
 */
import type { Scene } from '../core/scene.ts';

const POLE_COLOR: [number, number, number, number] = [0.85, 0.55, 0.25, 1];
const BODY_COLOR: [number, number, number, number] = [0.3, 0.5, 0.8, 1];
const STATIC_COLOR: [number, number, number, number] = [0.45, 0.45, 0.5, 1];
const IDENTITY: [number, number, number, number] = [0, 0, 0, 1];

/** Writes a pose (position, rotation by `angle` about +y) into frame slot `body`. */
function writePose(out: Float32Array, body: number, x: number, z: number, angle: number): void {
  const o = body * 7;
  out[o] = x;
  out[o + 1] = 0;
  out[o + 2] = z;
  out[o + 3] = 0;
  out[o + 4] = Math.sin(angle / 2);
  out[o + 5] = 0;
  out[o + 6] = Math.cos(angle / 2);
}

// Pendulum-v1: a 1 m rod on a pivot; theta = 0 is upright.
const PIVOT_HEIGHT = 1.3;

export const pendulumScene: Scene = {
  id: 'Pendulum-v1',
  up: 'z',
  bodies: [
    { name: 'pivot', parent: -1, geoms: [{ type: 'sphere', size: [0.06], pos: [0, 0, 0], quat: IDENTITY, rgba: STATIC_COLOR }] },
    { name: 'rod', parent: -1, geoms: [{ type: 'capsule', size: [0.05, 0.5], pos: [0, 0, 0.5], quat: IDENTITY, rgba: POLE_COLOR }] },
  ],
};

/** state [theta, thetaDot] -> frame of pivot and rod. */
export function pendulumFrame(state: ArrayLike<number>, out: Float32Array): Float32Array {
  writePose(out, 0, 0, PIVOT_HEIGHT, 0);
  // Gymnasium's theta grows counter-clockwise seen from the viewer (-y), i.e. a negative turn about +y.
  writePose(out, 1, 0, PIVOT_HEIGHT, -state[0]);
  return out;
}

// CartPole-v1: cart on a track, a 1 m pole (half-length 0.5) hinged on top.
const CART_HEIGHT = 0.1;

export const cartPoleScene: Scene = {
  id: 'CartPole-v1',
  up: 'z',
  bodies: [
    { name: 'track', parent: -1, geoms: [{ type: 'box', size: [2.4, 0.05, 0.01], pos: [0, 0, 0], quat: IDENTITY, rgba: STATIC_COLOR }] },
    { name: 'cart', parent: -1, geoms: [{ type: 'box', size: [0.25, 0.15, 0.075], pos: [0, 0, 0], quat: IDENTITY, rgba: BODY_COLOR }] },
    { name: 'pole', parent: 1, geoms: [{ type: 'capsule', size: [0.04, 0.5], pos: [0, 0, 0.5], quat: IDENTITY, rgba: POLE_COLOR }] },
  ],
};

/** state [x, xDot, theta, thetaDot] -> frame of track, cart and pole (theta > 0 leans toward +x). */
export function cartPoleFrame(state: ArrayLike<number>, out: Float32Array): Float32Array {
  writePose(out, 0, 0, 0.01, 0);
  writePose(out, 1, state[0], CART_HEIGHT, 0);
  writePose(out, 2, state[0], CART_HEIGHT + 0.075, state[2]);
  return out;
}

// MountainCarContinuous-v0: the hill is Gymnasium's height curve 0.45 sin(3x) + 0.55.
const HILL_SEGMENTS = 36;
const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const GOAL_POSITION = 0.45;
const hillHeight = (x: number) => 0.45 * Math.sin(3 * x) + 0.55;
const hillSlopeAngle = (x: number) => Math.atan(1.35 * Math.cos(3 * x));

function hillSegments(): Scene['bodies'][number]['geoms'] {
  const width = (MAX_POSITION - MIN_POSITION) / HILL_SEGMENTS;
  return Array.from({ length: HILL_SEGMENTS }, (_, i) => {
    const x = MIN_POSITION + (i + 0.5) * width;
    const angle = -hillSlopeAngle(x);
    const half = width / 2 / Math.cos(angle);
    return {
      type: 'box' as const,
      size: [half, 0.2, 0.01],
      pos: [x, 0, hillHeight(x) - 0.02] as [number, number, number],
      quat: [0, Math.sin(angle / 2), 0, Math.cos(angle / 2)] as [number, number, number, number],
      rgba: STATIC_COLOR,
    };
  });
}

export const mountainCarScene: Scene = {
  id: 'MountainCarContinuous-v0',
  up: 'z',
  bodies: [
    { name: 'hill', parent: -1, geoms: hillSegments() },
    {
      name: 'flag',
      parent: -1,
      geoms: [
        { type: 'cylinder', size: [0.008, 0.1], pos: [0, 0, 0.1], quat: IDENTITY, rgba: STATIC_COLOR },
        { type: 'box', size: [0.04, 0.005, 0.025], pos: [0.04, 0, 0.175], quat: IDENTITY, rgba: [0.9, 0.8, 0.1, 1] },
      ],
    },
    { name: 'car', parent: -1, geoms: [{ type: 'box', size: [0.06, 0.04, 0.025], pos: [0, 0, 0.03], quat: IDENTITY, rgba: BODY_COLOR }] },
  ],
};

/** state [position, velocity] -> frame of hill, flag and car (the car tilts with the slope). */
export function mountainCarFrame(state: ArrayLike<number>, out: Float32Array): Float32Array {
  writePose(out, 0, 0, 0, 0);
  writePose(out, 1, GOAL_POSITION, hillHeight(GOAL_POSITION), 0);
  writePose(out, 2, state[0], hillHeight(state[0]), -hillSlopeAngle(state[0]));
  return out;
}
