/**
 * HalfCheetah-v0: Gymnasium's HalfCheetah-v5 on Rapier. A planar two-legged runner (torso with
 * head, back and front legs of thigh, shin and foot; assets/robots/half_cheetah.xml) must run
 * forward as fast as it can. It never terminates.
 *
 * ## Actions: Box(-1, 1, (6,)), torque = gear x action (N m)
 * | num | joint  | gear |
 * |-----|--------|------|
 * | 0   | bthigh | 120  |
 * | 1   | bshin  | 90   |
 * | 2   | bfoot  | 60   |
 * | 3   | fthigh | 120  |
 * | 4   | fshin  | 60   |
 * | 5   | ffoot  | 30   |
 *
 * ## Observation: Box(-inf, inf, (17,))
 * | num  | quantity                                                                |
 * |------|-------------------------------------------------------------------------|
 * | 0    | rootz: torso height relative to the start (m)                           |
 * | 1    | rooty: torso angle (rad)                                                |
 * | 2-7  | bthigh, bshin, bfoot, fthigh, fshin, ffoot joint angles (rad)           |
 * | 8-16 | qvel, not clipped: rootx, rootz (m/s), rooty and the six joints (rad/s) |
 * The x position is excluded, as in Gymnasium (it is `info.xPosition`).
 *
 * ## Reward: the sum of `info.rewardTerms`
 * | term    | value                                           |
 * |---------|-------------------------------------------------|
 * | forward | forwardRewardWeight x (x_after - x_before) / dt |
 * | control | -ctrlCostWeight x sum(action^2)                 |
 *
 * ## Episode end
 * Never terminated; truncated at maxEpisodeSteps (by makeEnv's TimeLimit).
 * Reset: qpos of the model's initial pose plus U(±resetNoiseScale), qvel plus
 * resetNoiseScale x N(0, 1).
 *
 * ## Constants (Gymnasium v5 defaults unless noted)
 * | name                     | value | note                                                         |
 * |--------------------------|-------|--------------------------------------------------------------|
 * | frameSkip                | 3     | x timestep 0.05/3 s (half_cheetah.xml); Gymnasium 5 x 0.01 s |
 * | limitSolver              | 8 x 16 | Rapier substeps x PGS of a step that starts at a limit       |
 * | dtSeconds                | 0.05  |                                                              |
 * | maxEpisodeSteps          | 1000  |                                                              |
 * | forwardRewardWeight      | 1     |                                                              |
 * | ctrlCostWeight           | 0.1   |                                                              |
 * | observationVelocityLimit | inf   | not clipped                                                  |
 * | resetNoiseScale          | 0.1   |                                                              |
 */
import type { PlanarLocomotionConfig } from './planar-locomotion.ts';

export const HALF_CHEETAH: PlanarLocomotionConfig = {
  id: 'HalfCheetah-v0',
  description: 'Planar cheetah: run forward as fast as possible (Gymnasium HalfCheetah-v5 on Rapier)',
  modelFile: 'half_cheetah.xml',
  frameSkip: 3,
  limitSolver: { solverIterations: 8, pgsIterations: 16 },
  dtSeconds: 0.05,
  maxEpisodeSteps: 1000,
  observationSize: 17,
  actionSize: 6,
  actionRange: [-1, 1],
  rewardTerms: ['forward', 'control'],
  forwardRewardWeight: 1,
  ctrlCostWeight: 0.1,
  observationVelocityLimit: Infinity,
  resetNoiseScale: 0.1,
  velocityNoise: 'normal',
};
