/**
 * CartPole-v1 (Gymnasium 0.29): balance a pole on a cart by pushing it left or right.
 *
 * | | |
 * |---|---|
 * | action | 0 push left, 1 push right (force 10 N) |
 * | observation | [x, ẋ, θ, θ̇], x in [-4.8, 4.8], θ in [-24°, 24°] (twice the termination bounds) |
 * | reward | +1 every step, including the one that terminates; 0 for steps taken after termination |
 * | dynamics | Euler, τ = 0.02 s; g 9.8, cart 1 kg, pole 0.1 kg, half-length 0.5 m |
 * | termination | |x| > 2.4 or |θ| > 12°; time limit 500 steps |
 * | reset | every component ~ U[-0.05, 0.05] |
 * | state | [x, ẋ, θ, θ̇] |
 */
import { box, discrete } from '../core/spaces.ts';
import type { EnvSnapshot, EnvSpec, ResetOptions } from '../core/env.ts';
import type { Frame } from '../core/scene.ts';
import { ClassicEnv } from './classic-env.ts';
import { cartPoleFrame, cartPoleScene } from './classic-scenes.ts';

export const GRAVITY = 9.8;
export const CART_MASS = 1.0;
export const POLE_MASS = 0.1;
export const POLE_HALF_LENGTH = 0.5;
export const FORCE = 10;
export const TAU = 0.02;
export const THETA_THRESHOLD_DEGREES = 12;
export const X_THRESHOLD = 2.4;
export const RESET_BOUND = 0.05;
const THETA_THRESHOLD = (THETA_THRESHOLD_DEGREES * 2 * Math.PI) / 360;
const TOTAL_MASS = CART_MASS + POLE_MASS;
const POLE_MASS_LENGTH = POLE_MASS * POLE_HALF_LENGTH;

export const cartPoleSpec: EnvSpec = {
  id: 'CartPole-v1',
  description: 'Balance a pole on a cart with left/right pushes (Gymnasium classic control, discrete)',
  observationSpace: box([-2 * X_THRESHOLD, -Infinity, -2 * THETA_THRESHOLD, -Infinity], [2 * X_THRESHOLD, Infinity, 2 * THETA_THRESHOLD, Infinity]),
  actionSpace: discrete(2),
  dtSeconds: TAU,
  maxEpisodeSteps: 500,
  rewardTerms: [],
};

export class CartPole extends ClassicEnv {
  readonly spec = cartPoleSpec;
  readonly scene = cartPoleScene;
  /** Gymnasium's steps_beyond_terminated: once the pole has fallen, further terminal steps earn 0. */
  private fallen = false;

  constructor() {
    super(4);
  }

  override reset(options?: ResetOptions) {
    this.fallen = false;
    return super.reset(options);
  }

  override saveState(): EnvSnapshot {
    return { ...super.saveState(), fallen: this.fallen };
  }

  override loadState(snapshot: EnvSnapshot): void {
    super.loadState(snapshot);
    this.fallen = snapshot.fallen === true;
  }

  protected initialState(): number[] {
    return Array.from({ length: 4 }, () => this.rng.uniformRange(-RESET_BOUND, RESET_BOUND));
  }

  protected advance(action: ArrayLike<number>) {
    if (action[0] !== 0 && action[0] !== 1) throw new Error(`CartPole-v1: action must be 0 or 1, got ${action[0]}`);
    const [x, xDot, theta, thetaDot] = this.state;
    const force = action[0] === 1 ? FORCE : -FORCE;
    const cos = Math.cos(theta),
      sin = Math.sin(theta);
    const temp = (force + POLE_MASS_LENGTH * thetaDot ** 2 * sin) / TOTAL_MASS;
    const thetaAcc = (GRAVITY * sin - cos * temp) / (POLE_HALF_LENGTH * (4 / 3 - (POLE_MASS * cos ** 2) / TOTAL_MASS));
    const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
    // Euler: positions advance with the old velocities.
    this.state[0] = x + TAU * xDot;
    this.state[1] = xDot + TAU * xAcc;
    this.state[2] = theta + TAU * thetaDot;
    this.state[3] = thetaDot + TAU * thetaAcc;
    const [nx, , nTheta] = this.state;
    const terminated = nx < -X_THRESHOLD || nx > X_THRESHOLD || nTheta < -THETA_THRESHOLD || nTheta > THETA_THRESHOLD;
    const reward = terminated && this.fallen ? 0 : 1;
    if (terminated) this.fallen = true;
    return { reward, terminated };
  }

  protected observation(): Float64Array {
    return Float64Array.from(this.state);
  }

  protected drawFrame(out: Frame): Frame {
    return cartPoleFrame(this.state, out);
  }
}
