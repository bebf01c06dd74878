/**
 * Reacher-v0: Gymnasium's Reacher-v5 on Rapier. A two-link arm on a table
 * (assets/robots/reacher.xml) must bring its fingertip to a random target.
 *
 * ## Actions: Box(-1, 1, (2,)), torque = 200 x action (N m) on joint0 (shoulder), joint1 (elbow)
 *
 * ## Observation: Box(-inf, inf, (10,))
 * | num | quantity                                  |
 * |-----|-------------------------------------------|
 * | 0-1 | cos of joint0, joint1 angles              |
 * | 2-3 | sin of joint0, joint1 angles              |
 * | 4-5 | target x, y (m)                           |
 * | 6-7 | joint0, joint1 angular velocities (rad/s) |
 * | 8-9 | fingertip - target, x and y (m)           |
 *
 * ## Reward: the sum of `info.rewardTerms`
 * | term     | value                                    |
 * |----------|------------------------------------------|
 * | distance | -rewardDistWeight x ‖fingertip - target‖ |
 * | control  | -rewardControlWeight x sum(action^2)     |
 *
 * ## Episode end
 * Never terminated; truncated at maxEpisodeSteps (by makeEnv's TimeLimit).
 * Reset: arm angles U(±armNoiseScale) around 0, target drawn U(±targetRange)² until closer than
 * targetRange to the origin, arm velocities U(±velocityNoiseScale), target at rest.
 *
 * ## Constants (Gymnasium v5 defaults)
 * | name                | value | note                            |
 * |---------------------|-------|---------------------------------|
 * | frameSkip           | 1     | x timestep 0.02 s (reacher.xml) |
 * | dtSeconds           | 0.02  |                                 |
 * | maxEpisodeSteps     | 50    |                                 |
 * | rewardDistWeight    | 1     |                                 |
 * | rewardControlWeight | 1     |                                 |
 * | armNoiseScale       | 0.1   |                                 |
 * | targetRange         | 0.2   |                                 |
 * | velocityNoiseScale  | 0.005 |                                 |
 */
import { MujocoEnv, addUniformNoise, controlCost, type RobotEnvConfig, type StepOutcome } from './mujoco-env.ts';

export const REACHER = {
  id: 'Reacher-v0',
  description: 'Two-link arm: bring the fingertip to a random target (Gymnasium Reacher-v5 on Rapier)',
  modelFile: 'reacher.xml',
  frameSkip: 1,
  dtSeconds: 0.02,
  maxEpisodeSteps: 50,
  observationSize: 10,
  actionSize: 2,
  actionRange: [-1, 1],
  rewardTerms: ['distance', 'control'],
  rewardDistWeight: 1,
  rewardControlWeight: 1,
  armNoiseScale: 0.1,
  targetRange: 0.2,
  velocityNoiseScale: 0.005,
} as const satisfies RobotEnvConfig & Record<string, unknown>;

/** qpos: joint0, joint1, target_x, target_y. */
const TARGET = 2;

export class ReacherEnv extends MujocoEnv {
  private readonly tipAndTarget: number[];
  /** Fingertip then target position (3 each). */
  private readonly positions = new Float64Array(6);

  constructor() {
    super(REACHER);
    this.tipAndTarget = [this.bodyIndex('fingertip'), this.bodyIndex('target')];
  }

  protected resetModel(qpos: Float64Array, qvel: Float64Array): void {
    addUniformNoise(qpos, this.rng, REACHER.armNoiseScale);
    const r = REACHER.targetRange;
    let x: number;
    let y: number;
    do {
      x = this.rng.uniformRange(-r, r);
      y = this.rng.uniformRange(-r, r);
    } while (!(Math.hypot(x, y) < r));
    qpos[TARGET] = x;
    qpos[TARGET + 1] = y;
    addUniformNoise(qvel, this.rng, REACHER.velocityNoiseScale);
    qvel[TARGET] = 0;
    qvel[TARGET + 1] = 0;
  }

  protected override afterPhysics(): void {
    this.bodyPositions(this.tipAndTarget, this.positions);
  }

  protected override onReset(): void {
    this.afterPhysics();
  }

  protected observe(out: Float64Array): void {
    const q = this.qpos;
    const p = this.positions;
    out.set([Math.cos(q[0]), Math.cos(q[1]), Math.sin(q[0]), Math.sin(q[1]), q[TARGET], q[TARGET + 1], this.qvel[0], this.qvel[1], p[0] - p[3], p[1] - p[4]]);
  }

  protected evaluate(action: ArrayLike<number>): StepOutcome {
    const p = this.positions;
    const distance = Math.hypot(p[0] - p[3], p[1] - p[4], p[2] - p[5]);
    return {
      rewardTerms: { distance: -REACHER.rewardDistWeight * distance, control: -controlCost(action, REACHER.rewardControlWeight) },
      terminated: false,
    };
  }
}
