/**
 * Walker2d-v0: Gymnasium's Walker2d-v5 on Rapier. A planar biped (torso, two legs of thigh, leg
 * and foot; assets/robots/walker2d.xml) must walk forward without falling.
 *
 * ## Actions: Box(-1, 1, (6,)), torque = 100 x action (N m)
 * | num | joint            |
 * |-----|------------------|
 * | 0   | thigh_joint      |
 * | 1   | leg_joint        |
 * | 2   | foot_joint       |
 * | 3   | thigh_left_joint |
 * | 4   | leg_left_joint   |
 * | 5   | foot_left_joint  |
 *
 * ## Observation: Box(-inf, inf, (17,))
 * | num  | quantity                                                                  |
 * |------|---------------------------------------------------------------------------|
 * | 0    | rootz: torso height (m)                                                   |
 * | 1    | rooty: torso angle (rad)                                                  |
 * | 2-7  | right thigh, leg, foot, then left thigh, leg, foot joint angles (rad)     |
 * | 8-16 | qvel clipped to ±10: rootx, rootz (m/s), rooty and the six joints (rad/s) |
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
 * Terminated when unhealthy: rootz outside healthyZRange or rooty outside healthyAngleRange (open
 * intervals). Truncated at maxEpisodeSteps (by makeEnv's TimeLimit).
 * Reset: qpos and qvel of the model's initial pose plus U(±resetNoiseScale) each.
 *
 * ## Constants (Gymnasium v5 defaults unless noted)
 * | name                     | value    | note                                                     |
 * |--------------------------|----------|----------------------------------------------------------|
 * | frameSkip                | 1        | x timestep 0.008 s (walker2d.xml); Gymnasium 4 x 0.002 s |
 * | solverIterations         | 6        | Rapier solver substeps per physics step (sim/mjcf: 8)    |
 * | dtSeconds                | 0.008    |                                                          |
 * | maxEpisodeSteps          | 1000     |                                                          |
 * | forwardRewardWeight      | 1        |                                                          |
 * | ctrlCostWeight           | 0.001    |                                                          |
 * | healthyReward            | 1        |                                                          |
 * | healthyZRange            | (0.8, 2) |                                                          |
 * | healthyAngleRange        | (-1, 1)  |                                                          |
 * | observationVelocityLimit | 10       |                                                          |
 * | resetNoiseScale          | 0.005    |                                                          |
 */
import type { PlanarLocomotionConfig } from './planar-locomotion.ts';

export const WALKER2D: PlanarLocomotionConfig = {
  id: 'Walker2d-v0',
  description: 'Planar biped: walk forward without falling (Gymnasium Walker2d-v5 on Rapier)',
  modelFile: 'walker2d.xml',
  frameSkip: 1,
  solverIterations: 6,
  dtSeconds: 0.008,
  maxEpisodeSteps: 1000,
  observationSize: 17,
  actionSize: 6,
  actionRange: [-1, 1],
  rewardTerms: ['forward', 'healthy', 'control'],
  forwardRewardWeight: 1,
  ctrlCostWeight: 0.001,
  healthyReward: 1,
  healthyZRange: [0.8, 2],
  healthyAngleRange: [-1, 1],
  observationVelocityLimit: 10,
  resetNoiseScale: 0.005,
  velocityNoise: 'uniform',
};
