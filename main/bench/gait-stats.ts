/**
 * Whether a robot hops, runs or shuffles, from a recorded episode: the share of steps with every
 * ground-touching geom above the floor, and how many separate flight phases there were. A hopper
 * that hops has one flight phase per stride; one that shuffles or skates has none. The root body's
 * height and tilt tell a running robot from one that found a way to move on its back or side.
 */
import { FRAME_STRIDE, type Scene } from '../../sim/core/scene.ts';
import { lowestPoint, zRow } from '../../sim/core/scene-height.ts';

export interface GaitStats {
  steps: number;
  /** Share of steps with the robot's lowest point above the clearance. */
  airborneFraction: number;
  /** Take-offs: steps in the air that follow a step on the ground. */
  flightPhases: number;
  /** Take-offs per simulated second. */
  flightsPerSecond: number;
  /** Lowest and highest position of the root body's origin (the first body after the world). */
  rootHeightRange: [number, number];
  /** Largest angle between the root body's z axis and the world's up, in degrees. */
  rootTiltMaxDeg: number;
}

export function gaitStats(scene: Scene, frames: ArrayLike<number>, steps: number, dtSeconds: number, clearance: number): GaitStats {
  const stride = scene.bodies.length * FRAME_STRIDE;
  let airborne = 0,
    flightPhases = 0,
    wasAirborne = false;
  let lowestRoot = Infinity,
    highestRoot = -Infinity,
    leastUp = 1;
  for (let t = 0; t < steps; t++) {
    const inAir = lowestPoint(scene, frames as readonly number[], t * stride) > clearance;
    if (inAir) airborne++;
    if (inAir && !wasAirborne) flightPhases++;
    wasAirborne = inAir;
    const root = t * stride + FRAME_STRIDE;
    lowestRoot = Math.min(lowestRoot, frames[root + 2]);
    highestRoot = Math.max(highestRoot, frames[root + 2]);
    leastUp = Math.min(leastUp, zRow(frames as readonly number[], root)[2]);
  }
  return {
    steps,
    airborneFraction: airborne / steps,
    flightPhases,
    flightsPerSecond: flightPhases / (steps * dtSeconds),
    rootHeightRange: [lowestRoot, highestRoot],
    rootTiltMaxDeg: (Math.acos(Math.max(-1, Math.min(1, leastUp))) * 180) / Math.PI,
  };
}
