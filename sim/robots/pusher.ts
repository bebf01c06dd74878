/**
 * Pusher-v0: Gymnasium's Pusher-v5 on Rapier. A 7-joint arm (assets/robots/pusher.xml) must push a
 * cylinder on a table to a goal, in zero gravity.
 *
 * ## Actions: Box(-2, 2, (7,)), torque = action (N m) on r_shoulder_pan, r_shoulder_lift,
 * r_upper_arm_roll, r_elbow_flex, r_forearm_roll, r_wrist_flex, r_wrist_roll
 *
 * ## Observation: Box(-inf, inf, (23,))
 * | num   | quantity                                                               |
 * |-------|------------------------------------------------------------------------|
 * | 0-6   | the 7 arm joint angles (rad)                                           |
 * | 7-13  | the 7 arm joint velocities (rad/s)                                     |
 * | 14-16 | tips_arm body position (the wrist-roll frame, as Gymnasium's xpos) (m) |
 * | 17-19 | object (cylinder) position (m)                                         |
 * | 20-22 | goal position (m)                                                      |
 *
 * ## Reward: the sum of `info.rewardTerms`
 * | term     | value                                   |
 * |----------|-----------------------------------------|
 * | near     | -rewardNearWeight x ‖object - tips_arm‖ |
 * | distance | -rewardDistWeight x ‖object - goal‖     |
 * | control  | -rewardControlWeight x sum(action^2)    |
 *
 * ## Episode end
 * Never terminated; truncated at maxEpisodeSteps (by makeEnv's TimeLimit).
 * Reset: the arm at its initial pose; the cylinder offset (y, x) drawn from
 * U(cylinderYRange) x U(cylinderXRange) until farther than minGoalDistance from the goal offset
 * (0, 0); arm velocities U(±velocityNoiseScale); cylinder and goal at rest.
 *
 * ## Constants (Gymnasium v5 defaults)
 * | name                | value       | note                                                  |
 * |---------------------|-------------|-------------------------------------------------------|
 * | frameSkip           | 2           | x timestep 0.025 s (pusher.xml); Gymnasium 5 x 0.01 s |
 * | limitSolver         | 8 x 16      | Rapier substeps x PGS of a step that starts at a limit |
 * | dtSeconds           | 0.05        |                                                       |
 * | maxEpisodeSteps     | 100         |                                                       |
 * | rewardNearWeight    | 0.5         |                                                       |
 * | rewardDistWeight    | 1           |                                                       |
 * | rewardControlWeight | 0.1         |                                                       |
 * | cylinderYRange      | [-0.3, 0]   | qpos[7], obj_slidey                                   |
 * | cylinderXRange      | [-0.2, 0.2] | qpos[8], obj_slidex                                   |
 * | minGoalDistance     | 0.17        |                                                       |
 * | velocityNoiseScale  | 0.005       |                                                       |
 */
import { MujocoEnv, addUniformNoise, controlCost, type RobotEnvConfig, type StepOutcome } from './mujoco-env.ts';

export const PUSHER = {
  id: 'Pusher-v0',
  description: '7-joint arm: push a cylinder to a goal on a table (Gymnasium Pusher-v5 on Rapier)',
  modelFile: 'pusher.xml',
  frameSkip: 2,
  limitSolver: { solverIterations: 8, pgsIterations: 16 },
  dtSeconds: 0.05,
  maxEpisodeSteps: 100,
  observationSize: 23,
  actionSize: 7,
  actionRange: [-2, 2],
  rewardTerms: ['near', 'distance', 'control'],
  rewardNearWeight: 0.5,
  rewardDistWeight: 1,
  rewardControlWeight: 0.1,
  cylinderYRange: [-0.3, 0],
  cylinderXRange: [-0.2, 0.2],
  minGoalDistance: 0.17,
  velocityNoiseScale: 0.005,
} as const satisfies RobotEnvConfig & Record<string, unknown>;

/** The arm's joints come first in qpos and qvel; then obj_slidey, obj_slidex, goal_slidey, goal_slidex. */
const ARM_JOINTS = 7;
const OBJECT = 7;
const GOAL = 9;

export class PusherEnv extends MujocoEnv {
  private readonly tracked: number[];
  /** tips_arm, object, goal positions (3 each). */
  private readonly positions = new Float64Array(9);

  constructor() {
    super(PUSHER);
    this.tracked = [this.bodyIndex('tips_arm'), this.bodyIndex('object'), this.bodyIndex('goal')];
  }

  protected resetModel(qpos: Float64Array, qvel: Float64Array): void {
    const [goalY, goalX] = [0, 0];
    let y: number;
    let x: number;
    do {
      y = this.rng.uniformRange(...PUSHER.cylinderYRange);
      x = this.rng.uniformRange(...PUSHER.cylinderXRange);
    } while (!(Math.hypot(y - goalY, x - goalX) > PUSHER.minGoalDistance));
    qpos.set([y, x], OBJECT);
    qpos.set([goalY, goalX], GOAL);
    addUniformNoise(qvel, this.rng, PUSHER.velocityNoiseScale);
    qvel.fill(0, OBJECT);
  }

  protected override afterPhysics(): void {
    this.bodyPositions(this.tracked, this.positions);
  }

  protected override onReset(): void {
    this.afterPhysics();
  }

  protected observe(out: Float64Array): void {
    out.set(this.qpos.subarray(0, ARM_JOINTS), 0);
    out.set(this.qvel.subarray(0, ARM_JOINTS), ARM_JOINTS);
    out.set(this.positions, 2 * ARM_JOINTS);
  }

  protected evaluate(action: ArrayLike<number>): StepOutcome {
    const p = this.positions;
    const near = Math.hypot(p[3] - p[0], p[4] - p[1], p[5] - p[2]);
    const distance = Math.hypot(p[3] - p[6], p[4] - p[7], p[5] - p[8]);
    return {
      rewardTerms: {
        near: -PUSHER.rewardNearWeight * near,
        distance: -PUSHER.rewardDistWeight * distance,
        control: -controlCost(action, PUSHER.rewardControlWeight),
      },
      terminated: false,
    };
  }
}
