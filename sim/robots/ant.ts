/**
 * Ant-v0: Gymnasium's Ant-v5 on Rapier. A four-legged robot (spherical torso, legs of hip, thigh
 * and shin; assets/robots/ant.xml), free in 3-D, must walk in +x.
 *
 * ## Actions: Box(-1, 1, (8,)), torque = 150 x action (N m), in Gymnasium's order
 * | num | joint   | num | joint   |
 * |-----|---------|-----|---------|
 * | 0   | hip_4   | 4   | hip_2   |
 * | 1   | ankle_4 | 5   | ankle_2 |
 * | 2   | hip_1   | 6   | hip_3   |
 * | 3   | ankle_1 | 7   | ankle_3 |
 *
 * ## Observation: Box(-inf, inf, (105,)) — v5's default, include_cfrc_ext_in_observation=True
 * | num    | quantity                                                                    |
 * |--------|-----------------------------------------------------------------------------|
 * | 0      | torso z (m)                                                                 |
 * | 1-4    | torso orientation quaternion (w, x, y, z)                                   |
 * | 5-12   | hip_1, ankle_1, hip_2, ankle_2, hip_3, ankle_3, hip_4, ankle_4 angles (rad) |
 * | 13-15  | torso linear velocity, world frame (m/s)                                    |
 * | 16-18  | torso angular velocity, torso frame (rad/s)                                 |
 * | 19-26  | joint velocities, same order as 5-12 (rad/s)                                |
 * | 27-104 | cfrc_ext of the 13 bodies (torque, force) clipped to contactForceRange      |
 * The x, y position is excluded, as in Gymnasium (it is `info.xPosition`, `info.yPosition`).
 * cfrc_ext is the contact wrench about the robot's centre of mass, from Rapier's normal contact
 * impulses (no friction): see body-dynamics.ts. Gymnasium v4's `use_contact_forces=False` (27
 * dims) is not offered.
 *
 * ## Reward: the sum of `info.rewardTerms`
 * | term    | value                                                         |
 * |---------|---------------------------------------------------------------|
 * | forward | forwardRewardWeight x (torso x_after - x_before) / dt         |
 * | healthy | healthyReward while healthy, else 0                           |
 * | control | -ctrlCostWeight x sum(action^2)                               |
 * | contact | -contactCostWeight x sum(clip(cfrc_ext, contactForceRange)^2) |
 *
 * ## Episode end
 * Terminated when unhealthy: the state is not finite or the torso z leaves healthyZRange (closed
 * interval). Truncated at maxEpisodeSteps (by makeEnv's TimeLimit).
 * Reset: qpos of the initial pose (torso at z 0.75, legs horizontal) plus U(±resetNoiseScale), the
 * torso quaternion then normalized (MuJoCo does so on its first step); qvel resetNoiseScale x N(0, 1).
 *
 * ## Constants (Gymnasium v5 defaults unless noted)
 * | name                | value    | note                                               |
 * |---------------------|----------|----------------------------------------------------|
 * | frameSkip           | 2        | x timestep 0.025 s (ant.xml); Gymnasium 5 x 0.01 s |
 * | limitSolver         | 4 x 16   | Rapier substeps x PGS of a step that starts at a limit |
 * | dtSeconds           | 0.05     |                                                    |
 * | maxEpisodeSteps     | 1000     |                                                    |
 * | forwardRewardWeight | 1        |                                                    |
 * | ctrlCostWeight      | 0.5      |                                                    |
 * | contactCostWeight   | 0.0005   |                                                    |
 * | healthyReward       | 1        |                                                    |
 * | healthyZRange       | [0.2, 1] |                                                    |
 * | contactForceRange   | [-1, 1]  |                                                    |
 * | resetNoiseScale     | 0.1      |                                                    |
 */
import { BodyDynamics } from './body-dynamics.ts';
import {
  MujocoEnv,
  addNormalNoise,
  addUniformNoise,
  controlCost,
  normalizeQuaternion,
  writeClipped,
  type RobotEnvConfig,
  type StepOutcome,
} from './mujoco-env.ts';
import { robotModelXml } from './physics.ts';

export const ANT = {
  id: 'Ant-v0',
  description: 'Four-legged walker free in 3-D: walk forward (Gymnasium Ant-v5 on Rapier)',
  modelFile: 'ant.xml',
  frameSkip: 2,
  limitSolver: { solverIterations: 4, pgsIterations: 16 },
  dtSeconds: 0.05,
  maxEpisodeSteps: 1000,
  observationSize: 105,
  actionSize: 8,
  actionRange: [-1, 1],
  rewardTerms: ['forward', 'healthy', 'control', 'contact'],
  forwardRewardWeight: 1,
  ctrlCostWeight: 0.5,
  contactCostWeight: 0.0005,
  healthyReward: 1,
  healthyZRange: [0.2, 1],
  contactForceRange: [-1, 1],
  resetNoiseScale: 0.1,
} as const satisfies RobotEnvConfig & Record<string, unknown>;

/** qpos index of the free joint's quaternion (after x, y, z). */
const ROOT_QUAT = 3;

export class AntEnv extends MujocoEnv {
  private readonly bodies: BodyDynamics;
  private xBefore = 0;

  constructor() {
    super(ANT);
    this.bodies = new BodyDynamics(this.model, robotModelXml(ANT.modelFile, ANT.id));
  }

  isHealthy(): boolean {
    const [lo, hi] = ANT.healthyZRange;
    const z = this.qpos[2];
    return this.qpos.every(Number.isFinite) && this.qvel.every(Number.isFinite) && lo <= z && z <= hi;
  }

  protected resetModel(qpos: Float64Array, qvel: Float64Array): void {
    addUniformNoise(qpos, this.rng, ANT.resetNoiseScale);
    normalizeQuaternion(qpos, ROOT_QUAT);
    addNormalNoise(qvel, this.rng, ANT.resetNoiseScale);
  }

  protected override onReset(): void {
    this.bodies.attach();
    this.bodies.clearContacts(); // Gymnasium's reset observation has cfrc_ext = 0
  }

  protected override beforePhysics(): void {
    this.xBefore = this.qpos[0];
  }

  protected override afterPhysics(): void {
    this.bodies.update();
    this.bodies.updateContacts();
  }

  protected observe(out: Float64Array): void {
    let at = writeClipped(out, 0, this.qpos, 2, this.qpos.length - 2);
    at = writeClipped(out, at, this.qvel, 0, this.qvel.length);
    this.bodies.writeContactWrenches(out, at, ANT.contactForceRange[1]);
  }

  protected evaluate(action: ArrayLike<number>): StepOutcome {
    const xVelocity = (this.qpos[0] - this.xBefore) / ANT.dtSeconds;
    const healthy = this.isHealthy();
    return {
      rewardTerms: {
        forward: ANT.forwardRewardWeight * xVelocity,
        healthy: healthy ? ANT.healthyReward : 0,
        control: -controlCost(action, ANT.ctrlCostWeight),
        contact: -ANT.contactCostWeight * this.bodies.contactWrenchSquaredNorm(ANT.contactForceRange[1]),
      },
      terminated: !healthy,
      info: { xPosition: this.qpos[0], yPosition: this.qpos[1], xVelocity },
    };
  }
}
