/**
 * What Hopper, Walker2d and HalfCheetah share (Gymnasium's v5 code for the three is the same up to
 * constants): a planar robot with root joints rootx, rootz, rooty, rewarded for its x velocity,
 * observed as qpos[1:] and (possibly clipped) qvel.
 */
import { MujocoEnv, addNormalNoise, addUniformNoise, controlCost, inOpenRange, writeClipped, type RobotEnvConfig, type StepOutcome } from './mujoco-env.ts';

export interface PlanarLocomotionConfig extends RobotEnvConfig {
  forwardRewardWeight: number;
  ctrlCostWeight: number;
  /** Paid per step while healthy; absent for robots without a healthy rule (they never terminate). */
  healthyReward?: number;
  /** Observed qvel is clipped to ±this (Infinity: not clipped). */
  observationVelocityLimit: number;
  resetNoiseScale: number;
  /** Noise on qvel: U(±scale) (Hopper, Walker2d) or scale x N(0, 1) (HalfCheetah). */
  velocityNoise: 'uniform' | 'normal';
  /** Healthy torso height (qpos[1]) and angle (qpos[2]), open intervals. */
  healthyZRange?: readonly [number, number];
  healthyAngleRange?: readonly [number, number];
  /** Open interval every entry of Gymnasium's state_vector()[2:] (qpos[2:], then qvel) must stay in. */
  healthyStateRange?: readonly [number, number];
}

const X = 0; // qpos index of rootx
const Z = 1; // rootz
const ANGLE = 2; // rooty

export class PlanarLocomotionEnv extends MujocoEnv {
  private xBefore = 0;

  constructor(private readonly config: PlanarLocomotionConfig) {
    super(config);
  }

  /** Gymnasium's `is_healthy` (always true for robots without healthy ranges). */
  isHealthy(): boolean {
    const { healthyZRange, healthyAngleRange, healthyStateRange } = this.config;
    if (healthyZRange && !inOpenRange(this.qpos[Z], healthyZRange)) return false;
    if (healthyAngleRange && !inOpenRange(this.qpos[ANGLE], healthyAngleRange)) return false;
    if (healthyStateRange) {
      for (let i = ANGLE; i < this.qpos.length; i++) if (!inOpenRange(this.qpos[i], healthyStateRange)) return false;
      for (let i = 0; i < this.qvel.length; i++) if (!inOpenRange(this.qvel[i], healthyStateRange)) return false;
    }
    return true;
  }

  protected resetModel(qpos: Float64Array, qvel: Float64Array): void {
    const scale = this.config.resetNoiseScale;
    addUniformNoise(qpos, this.rng, scale);
    if (this.config.velocityNoise === 'uniform') addUniformNoise(qvel, this.rng, scale);
    else addNormalNoise(qvel, this.rng, scale);
  }

  protected observe(out: Float64Array): void {
    const at = writeClipped(out, 0, this.qpos, 1, this.qpos.length - 1);
    writeClipped(out, at, this.qvel, 0, this.qvel.length, this.config.observationVelocityLimit);
  }

  protected override beforePhysics(): void {
    this.xBefore = this.qpos[X];
  }

  protected evaluate(action: ArrayLike<number>): StepOutcome {
    const { forwardRewardWeight, ctrlCostWeight, healthyReward } = this.config;
    const xVelocity = (this.qpos[X] - this.xBefore) / this.spec.dtSeconds;
    const rewardTerms: Record<string, number> = {
      forward: forwardRewardWeight * xVelocity,
      control: -controlCost(action, ctrlCostWeight),
    };
    const info = { xPosition: this.qpos[X], xVelocity };
    if (healthyReward === undefined) return { rewardTerms, terminated: false, info };
    // v5: the healthy reward is paid only while healthy (Gymnasium#526).
    const healthy = this.isHealthy();
    rewardTerms.healthy = healthy ? healthyReward : 0;
    return { rewardTerms, terminated: !healthy, info };
  }
}
