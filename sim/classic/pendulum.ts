/**
 * Pendulum-v1 (Gymnasium 0.29): swing a pendulum up and keep it upright.
 *
 * | | |
 * |---|---|
 * | action | torque u in [-2, 2] (clipped here too) |
 * | observation | [cos θ, sin θ, θ̇], θ̇ in [-8, 8] |
 * | reward | -(normalize(θ)² + 0.1 θ̇² + 0.001 u²), θ wrapped to [-π, π), u clipped |
 * | dynamics | θ̇ += (3g/(2l) sin θ + 3/(m l²) u) dt, clip ±8; θ += θ̇ dt; g = 10, m = l = 1, dt = 0.05 |
 * | termination | never; time limit 200 steps |
 * | reset | θ ~ U[-π, π], θ̇ ~ U[-1, 1] |
 * | state | [θ, θ̇] |
 */
import { box } from '../core/spaces.ts';
import type { EnvSpec } from '../core/env.ts';
import type { Frame } from '../core/scene.ts';
import { ClassicEnv } from './classic-env.ts';
import { pendulumFrame, pendulumScene } from './classic-scenes.ts';

export const MAX_SPEED = 8;
export const MAX_TORQUE = 2;
export const DT = 0.05;
export const GRAVITY = 10;
export const MASS = 1;
export const LENGTH = 1;
export const THETA_DOT_COST = 0.1;
export const TORQUE_COST = 0.001;
export const RESET_THETA_DOT = 1;

export const pendulumSpec: EnvSpec = {
  id: 'Pendulum-v1',
  description: 'Swing a pendulum up and balance it (Gymnasium classic control)',
  observationSpace: box([-1, -1, -MAX_SPEED], [1, 1, MAX_SPEED]),
  actionSpace: box([-MAX_TORQUE], [MAX_TORQUE]),
  dtSeconds: DT,
  maxEpisodeSteps: 200,
  rewardTerms: [],
};

/** Angle wrapped to [-π, π) like Gymnasium's angle_normalize (Python's modulo is never negative). */
function normalizeAngle(x: number): number {
  const period = 2 * Math.PI;
  return ((((x + Math.PI) % period) + period) % period) - Math.PI;
}

export class Pendulum extends ClassicEnv {
  readonly spec = pendulumSpec;
  readonly scene = pendulumScene;

  constructor() {
    super(2);
  }

  protected initialState(): number[] {
    return [this.rng.uniformRange(-Math.PI, Math.PI), this.rng.uniformRange(-RESET_THETA_DOT, RESET_THETA_DOT)];
  }

  protected advance(action: ArrayLike<number>) {
    const [theta, thetaDot] = this.state;
    const u = Math.min(Math.max(action[0], -MAX_TORQUE), MAX_TORQUE);
    const cost = normalizeAngle(theta) ** 2 + THETA_DOT_COST * thetaDot ** 2 + TORQUE_COST * u ** 2;
    let newThetaDot = thetaDot + (((3 * GRAVITY) / (2 * LENGTH)) * Math.sin(theta) + (3 / (MASS * LENGTH ** 2)) * u) * DT;
    newThetaDot = Math.min(Math.max(newThetaDot, -MAX_SPEED), MAX_SPEED);
    this.state[0] = theta + newThetaDot * DT;
    this.state[1] = newThetaDot;
    return { reward: -cost, terminated: false };
  }

  protected observation(): Float64Array {
    const [theta, thetaDot] = this.state;
    return Float64Array.of(Math.cos(theta), Math.sin(theta), thetaDot);
  }

  protected drawFrame(out: Frame): Frame {
    return pendulumFrame(this.state, out);
  }
}
