/**
 * Whether a robot hops, runs or shuffles, from a recorded episode: the share of steps with every
 * ground-touching geom above the floor, and how many separate flight phases there were. A hopper
 * that hops has one flight phase per stride; one that shuffles or skates has none.
 */
import { FRAME_STRIDE, type Scene } from '../../sim/core/scene.ts';
import { lowestPoint } from '../../sim/core/scene-height.ts';

export interface GaitStats {
  steps: number;
  /** Share of steps with the robot's lowest point above the clearance. */
  airborneFraction: number;
  /** Take-offs: steps in the air that follow a step on the ground. */
  flightPhases: number;
  /** Take-offs per simulated second. */
  flightsPerSecond: number;
}

export function gaitStats(scene: Scene, frames: ArrayLike<number>, steps: number, dtSeconds: number, clearance: number): GaitStats {
  const stride = scene.bodies.length * FRAME_STRIDE;
  let airborne = 0, flightPhases = 0, wasAirborne = false;
  for (let t = 0; t < steps; t++) {
    const inAir = lowestPoint(scene, frames as readonly number[], t * stride) > clearance;
    if (inAir) airborne++;
    if (inAir && !wasAirborne) flightPhases++;
    wasAirborne = inAir;
  }
  return { steps, airborneFraction: airborne / steps, flightPhases, flightsPerSecond: flightPhases / (steps * dtSeconds) };
}
