/**
 * Hopper-v0: Gymnasium's Hopper-v5 on Rapier. A one-legged planar robot (torso, thigh, leg, foot;
 * assets/robots/hopper.xml) must hop forward without falling.
 *
 * ## Actions: Box(-1, 1, (3,)), torque = 200 x action (N m)
 * | num | joint       |
 * |-----|-------------|
 * | 0   | thigh_joint |
 * | 1   | leg_joint   |
 * | 2   | foot_joint  |
 *
 * ## Observation: Box(-inf, inf, (11,))
 * | num  | quantity                                                                 |
 * |------|--------------------------------------------------------------------------|
 * | 0    | rootz: torso height (m)                                                  |
 * | 1    | rooty: torso angle (rad)                                                 |
 * | 2-4  | thigh, leg, foot joint angles (rad)                                      |
 * | 5-10 | qvel clipped to ±10: rootx, rootz (m/s), rooty, thigh, leg, foot (rad/s) |
 * The x position is excluded, as in Gymnasium (it is `info.xPosition`).
 *
 * ## Reward: the sum of `info.rewardTerms`
 * | term    | value                                           |
 * |---------|-------------------------------------------------|
 * | forward | forwardRewardWeight x (x_after - x_before) / dt |
 * | healthy | healthyReward while healthy, else 0             |
 * | control | -ctrlCostWeight x sum(action^2)                 |
 *
 * ## Episode end
 * Terminated when unhealthy: rootz outside healthyZRange, rooty outside healthyAngleRange, or any of
 * qpos[2:] and qvel outside healthyStateRange (open intervals). Truncated at maxEpisodeSteps (by
 * makeEnv's TimeLimit).
 * Reset: qpos and qvel of the model's initial pose plus U(±resetNoiseScale) each.
 *
 * ## Constants (Gymnasium v5 defaults unless noted)
 * | name                     | value       | note                                                   |
 * |--------------------------|-------------|--------------------------------------------------------|
 * | frameSkip                | 1           | x timestep 0.008 s (hopper.xml); Gymnasium 4 x 0.002 s |
 * | dtSeconds                | 0.008       |                                                        |
 * | maxEpisodeSteps          | 1000        |                                                        |
 * | forwardRewardWeight      | 1           |                                                        |
 * | ctrlCostWeight           | 0.001       |                                                        |
 * | healthyReward            | 1           |                                                        |
 * | healthyZRange            | (0.7, inf)  |                                                        |
 * | healthyAngleRange        | (-0.2, 0.2) |                                                        |
 * | healthyStateRange        | (-100, 100) |                                                        |
 * | observationVelocityLimit | 10          |                                                        |
 * | resetNoiseScale          | 0.005       |                                                        |
 */
import type { PlanarLocomotionConfig } from './planar-locomotion.ts';

export const HOPPER: PlanarLocomotionConfig = {
  id: 'Hopper-v0',
  description: 'One-legged planar hopper: hop forward without falling (Gymnasium Hopper-v5 on Rapier)',
  modelFile: 'hopper.xml',
  frameSkip: 1,
  dtSeconds: 0.008,
  maxEpisodeSteps: 1000,
  observationSize: 11,
  actionSize: 3,
  actionRange: [-1, 1],
  rewardTerms: ['forward', 'healthy', 'control'],
  forwardRewardWeight: 1,
  ctrlCostWeight: 0.001,
  healthyReward: 1,
  healthyZRange: [0.7, Infinity],
  healthyAngleRange: [-0.2, 0.2],
  healthyStateRange: [-100, 100],
  observationVelocityLimit: 10,
  resetNoiseScale: 0.005,
  velocityNoise: 'uniform',
};
