/**
 * InvertedPendulum-v0: Gymnasium's InvertedPendulum-v5 on Rapier. A cart on a rail
 * (assets/robots/inverted_pendulum.xml) must keep a pole upright.
 *
 * ## Actions: Box(-3, 3, (1,)), force on the cart = 100 x action (N)
 *
 * ## Observation: Box(-inf, inf, (4,))
 * | num | quantity                      |
 * |-----|-------------------------------|
 * | 0   | slider: cart position (m)     |
 * | 1   | hinge: pole angle (rad)       |
 * | 2   | cart velocity (m/s)           |
 * | 3   | pole angular velocity (rad/s) |
 *
 * ## Reward: the sum of `info.rewardTerms`
 * | term    | value                                |
 * |---------|--------------------------------------|
 * | healthy | 1 unless the step terminates, then 0 |
 *
 * ## Episode end
 * Terminated when the observation is not finite or |pole angle| > maxPoleAngle. Truncated at
 * maxEpisodeSteps (by makeEnv's TimeLimit). Reset: qpos and qvel of the initial pose plus
 * U(±resetNoiseScale) each.
 *
 * ## Constants (Gymnasium v5 defaults)
 * | name            | value | note                                      |
 * |-----------------|-------|-------------------------------------------|
 * | frameSkip       | 1     | x timestep 0.04 s (inverted_pendulum.xml) |
 * | solverIterations | 4    | Rapier solver substeps per physics step (sim/mjcf: 8) |
 * | dtSeconds       | 0.04  |                                           |
 * | maxEpisodeSteps | 1000  |                                           |
 * | maxPoleAngle    | 0.2   |                                           |
 * | resetNoiseScale | 0.01  |                                           |
 */
import { MujocoEnv, addUniformNoise, type RobotEnvConfig, type StepOutcome } from './mujoco-env.ts';

export const INVERTED_PENDULUM = {
  id: 'InvertedPendulum-v0',
  description: 'Cart-pole on a rail: keep the pole upright (Gymnasium InvertedPendulum-v5 on Rapier)',
  modelFile: 'inverted_pendulum.xml',
  frameSkip: 1,
  solverIterations: 4,
  dtSeconds: 0.04,
  maxEpisodeSteps: 1000,
  observationSize: 4,
  actionSize: 1,
  actionRange: [-3, 3],
  rewardTerms: ['healthy'],
  maxPoleAngle: 0.2,
  resetNoiseScale: 0.01,
} as const satisfies RobotEnvConfig & Record<string, unknown>;

export class InvertedPendulumEnv extends MujocoEnv {
  constructor() {
    super(INVERTED_PENDULUM);
  }

  protected resetModel(qpos: Float64Array, qvel: Float64Array): void {
    addUniformNoise(qpos, this.rng, INVERTED_PENDULUM.resetNoiseScale);
    addUniformNoise(qvel, this.rng, INVERTED_PENDULUM.resetNoiseScale);
  }

  protected observe(out: Float64Array): void {
    out.set(this.qpos, 0);
    out.set(this.qvel, this.qpos.length);
  }

  protected evaluate(): StepOutcome {
    const state = [...this.qpos, ...this.qvel];
    const terminated = !state.every(Number.isFinite) || Math.abs(this.qpos[1]) > INVERTED_PENDULUM.maxPoleAngle;
    return { rewardTerms: { healthy: terminated ? 0 : 1 }, terminated };
  }
}
