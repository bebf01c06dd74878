/**
 * MountainCarContinuous-v0 (Gymnasium 0.29): drive an underpowered car up the right hill.
 *
 * | | |
 * |---|---|
 * | action | force in [-1, 1] (clipped for the dynamics; the control cost uses the raw action) |
 * | observation | [position in [-1.2, 0.6], velocity in [-0.07, 0.07]] |
 * | reward | -0.1 a², plus 100 on reaching the goal |
 * | dynamics | v += force·0.0015 - 0.0025 cos(3x), clip ±0.07; x += v, clip [-1.2, 0.6]; v = 0 at the left wall |
 * | termination | x >= 0.45 and v >= 0; time limit 999 steps |
 * | reset | x ~ U[-0.6, -0.4], v = 0 |
 * | state | [x, v]; Gymnasium stores it as float32 after every step (not at reset), and so do we |
 */
import { box } from '../core/spaces.ts';
import type { EnvSpec } from '../core/env.ts';
import type { Frame } from '../core/scene.ts';
import { ClassicEnv } from './classic-env.ts';
import { mountainCarFrame, mountainCarScene } from './classic-scenes.ts';

export const MIN_POSITION = -1.2;
export const MAX_POSITION = 0.6;
export const MAX_SPEED = 0.07;
export const GOAL_POSITION = 0.45;
export const GOAL_VELOCITY = 0;
export const MAX_ACTION = 1;
export const POWER = 0.0015;
export const GRAVITY_TERM = 0.0025;
export const GOAL_REWARD = 100;
export const ACTION_COST = 0.1;
export const RESET_LOW = -0.6;
export const RESET_HIGH = -0.4;

export const mountainCarContinuousSpec: EnvSpec = {
  id: 'MountainCarContinuous-v0',
  description: 'Rock an underpowered car up a hill (Gymnasium classic control)',
  observationSpace: box([MIN_POSITION, -MAX_SPEED], [MAX_POSITION, MAX_SPEED]),
  actionSpace: box([-MAX_ACTION], [MAX_ACTION]),
  dtSeconds: 1 / 30,
  maxEpisodeSteps: 999,
  rewardTerms: [],
};

export class MountainCarContinuous extends ClassicEnv {
  readonly spec = mountainCarContinuousSpec;
  readonly scene = mountainCarScene;

  constructor() {
    super(2);
  }

  protected initialState(): number[] {
    return [this.rng.uniformRange(RESET_LOW, RESET_HIGH), 0];
  }

  protected advance(action: ArrayLike<number>) {
    let [position, velocity] = this.state;
    const force = Math.min(Math.max(action[0], -MAX_ACTION), MAX_ACTION);
    velocity += force * POWER - GRAVITY_TERM * Math.cos(3 * position);
    velocity = Math.min(Math.max(velocity, -MAX_SPEED), MAX_SPEED);
    position += velocity;
    position = Math.min(Math.max(position, MIN_POSITION), MAX_POSITION);
    if (position === MIN_POSITION && velocity < 0) velocity = 0;
    const terminated = position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
    // The control cost uses the unclipped action, as in Gymnasium.
    const reward = (terminated ? GOAL_REWARD : 0) - ACTION_COST * action[0] ** 2;
    // Gymnasium keeps the state as a float32 array; rounding here keeps long episodes in step with it.
    this.state[0] = Math.fround(position);
    this.state[1] = Math.fround(velocity);
    return { reward, terminated };
  }

  protected observation(): Float64Array {
    return Float64Array.from(this.state);
  }

  protected drawFrame(out: Frame): Frame {
    return mountainCarFrame(this.state, out);
  }
}
