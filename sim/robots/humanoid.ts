/**
 * Humanoid-v0: Gymnasium's Humanoid-v5 on Rapier. A 3-D biped (assets/robots/humanoid.xml: torso,
 * two-part abdomen, pelvis, legs and arms; 17 actuated hinges) must walk forward without falling.
 *
 * ## Actions: Box(-0.4, 0.4, (17,)), torque = gear x action (N m), in Gymnasium's order
 * abdomen_y, abdomen_z, abdomen_x (gear 100); right_hip_x, right_hip_z (100), right_hip_y (300),
 * right_knee (200); left_hip_x, left_hip_z (100), left_hip_y (300), left_knee (200);
 * right_shoulder1, right_shoulder2, right_elbow, left_shoulder1, left_shoulder2, left_elbow (25).
 *
 * ## Observation: Box(-inf, inf, (348,)), Gymnasium v5's layout
 * | num     | quantity                                                                            |
 * |---------|-------------------------------------------------------------------------------------|
 * | 0-21    | qpos[2:]: torso z, torso quaternion (w, x, y, z), 17 hinge angles in file order     |
 * | 22-44   | qvel: torso linear velocity (world), angular velocity (torso frame), 17 hinges      |
 * | 45-174  | cinert of the 13 bodies (10 each): inertia about the robot COM, mass x offset, mass |
 * | 175-252 | cvel of the 13 bodies (6 each): angular velocity, velocity of the point at the COM  |
 * | 253-269 | qfrc_actuator[6:]: gear x clipped action per hinge, in qvel (file) order            |
 * | 270-347 | cfrc_ext of the 13 bodies (6 each): contact torque about the COM, contact force     |
 * cinert, cvel and qfrc_actuator are MuJoCo's quantities exactly; cfrc_ext comes from Rapier's normal
 * contact impulses only (no friction), see body-dynamics.ts. The x, y position is excluded.
 *
 * ## Reward: the sum of `info.rewardTerms`
 * | term    | value                                                     |
 * |---------|-----------------------------------------------------------|
 * | forward | forwardRewardWeight x (COM x_after - x_before) / dt       |
 * | healthy | healthyReward while healthy, else 0                       |
 * | control | -ctrlCostWeight x sum(action^2)                           |
 * | contact | -min(contactCostWeight x sum(cfrc_ext^2), contactCostMax) |
 *
 * ## Episode end
 * Terminated when the torso z leaves healthyZRange (open interval). Truncated at maxEpisodeSteps
 * (by makeEnv's TimeLimit).
 * Reset: qpos and qvel of the initial pose (standing, torso at z 1.4) plus U(±resetNoiseScale) each,
 * the torso quaternion then normalized (MuJoCo does so on its first step).
 *
 * ## Constants (Gymnasium v5 defaults unless noted)
 * | name                | value  | note                                                      |
 * |---------------------|--------|-----------------------------------------------------------|
 * | frameSkip           | 1      | x timestep 0.015 s (humanoid.xml); Gymnasium 5 x 0.003 s  |
 * | dtSeconds           | 0.015  |                                                           |
 * | maxEpisodeSteps     | 1000   |                                                           |
 * | forwardRewardWeight | 1.25   |                                                           |
 * | ctrlCostWeight      | 0.1    |                                                           |
 * | contactCostWeight   | 5e-7   |                                                           |
 * | contactCostMax      | 10     |                                                           |
 * | healthyReward       | 5      |                                                           |
 * | healthyZRange       | (1, 2) |                                                           |
 * | resetNoiseScale     | 0.01   |                                                           |
 */
import { BodyDynamics } from './body-dynamics.ts';
import {
  MujocoEnv,
  addUniformNoise,
  controlCost,
  inOpenRange,
  normalizeQuaternion,
  writeClipped,
  type RobotEnvConfig,
  type StepOutcome,
} from './mujoco-env.ts';
import { robotModelXml } from './physics.ts';

export const HUMANOID = {
  id: 'Humanoid-v0',
  description: '3-D biped: walk forward without falling (Gymnasium Humanoid-v5 on Rapier)',
  modelFile: 'humanoid.xml',
  frameSkip: 1,
  dtSeconds: 0.015,
  maxEpisodeSteps: 1000,
  observationSize: 348,
  actionSize: 17,
  actionRange: [-0.4, 0.4],
  rewardTerms: ['forward', 'healthy', 'control', 'contact'],
  forwardRewardWeight: 1.25,
  ctrlCostWeight: 0.1,
  contactCostWeight: 5e-7,
  contactCostMax: 10,
  healthyReward: 5,
  healthyZRange: [1, 2],
  resetNoiseScale: 0.01,
} as const satisfies RobotEnvConfig & Record<string, unknown>;

/** qpos index of the free joint's quaternion; qvel entries of the free joint. */
const ROOT_QUAT = 3;
const ROOT_DOFS = 6;

export class HumanoidEnv extends MujocoEnv {
  private readonly bodies: BodyDynamics;
  /** Per actuator: its joint's qvel index, gear and control range. */
  private readonly motors: { dof: number; gear: number; lo: number; hi: number }[];
  private comXBefore = 0;

  constructor() {
    super(HUMANOID);
    this.bodies = new BodyDynamics(this.model, robotModelXml(HUMANOID.modelFile, HUMANOID.id));
    this.motors = this.model.actuators.map((a) => {
      const joint = this.model.joints.find((j) => j.name === a.joint)!;
      return { dof: joint.qvelIndex, gear: a.gear, lo: a.ctrlRange?.[0] ?? -Infinity, hi: a.ctrlRange?.[1] ?? Infinity };
    });
  }

  isHealthy(): boolean {
    return inOpenRange(this.qpos[2], HUMANOID.healthyZRange);
  }

  protected resetModel(qpos: Float64Array, qvel: Float64Array): void {
    addUniformNoise(qpos, this.rng, HUMANOID.resetNoiseScale);
    normalizeQuaternion(qpos, ROOT_QUAT);
    addUniformNoise(qvel, this.rng, HUMANOID.resetNoiseScale);
  }

  protected override onReset(): void {
    this.bodies.attach();
    this.bodies.update();
    this.bodies.clearContacts(); // Gymnasium's reset observation has cfrc_ext = 0
  }

  protected override beforePhysics(): void {
    this.comXBefore = this.bodies.robotCom[0];
  }

  protected override afterPhysics(): void {
    this.bodies.update();
    this.bodies.updateContacts();
  }

  protected observe(out: Float64Array): void {
    let at = writeClipped(out, 0, this.qpos, 2, this.qpos.length - 2);
    at = writeClipped(out, at, this.qvel, 0, this.qvel.length);
    at = this.bodies.writeCinert(out, at);
    at = this.bodies.writeCvel(out, at);
    // qfrc_actuator of the hinge dofs: gear x control, which MuJoCo clips to ctrlrange first.
    const hingeDofs = this.qvel.length - ROOT_DOFS;
    out.fill(0, at, at + hingeDofs);
    this.motors.forEach((m, i) => (out[at + m.dof - ROOT_DOFS] = m.gear * Math.min(m.hi, Math.max(m.lo, this.ctrl[i]))));
    at += hingeDofs;
    this.bodies.writeContactWrenches(out, at);
  }

  protected evaluate(action: ArrayLike<number>): StepOutcome {
    const xVelocity = (this.bodies.robotCom[0] - this.comXBefore) / HUMANOID.dtSeconds;
    const healthy = this.isHealthy();
    return {
      rewardTerms: {
        forward: HUMANOID.forwardRewardWeight * xVelocity,
        healthy: healthy ? HUMANOID.healthyReward : 0,
        control: -controlCost(action, HUMANOID.ctrlCostWeight),
        contact: -Math.min(HUMANOID.contactCostWeight * this.bodies.contactWrenchSquaredNorm(), HUMANOID.contactCostMax),
      },
      terminated: !healthy,
      info: { xPosition: this.qpos[0], yPosition: this.qpos[1], xVelocity },
    };
  }
}
