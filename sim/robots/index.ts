/**
 * The robot suite: Gymnasium v5's MuJoCo tasks on Rapier. Call `registerRobotEnvs()` once (the specs
 * need no physics), then `await initPhysics()` before the first `makeEnv` of a robot.
 */
import { registerEnv } from '../core/registry.ts';
import { ANT, AntEnv } from './ant.ts';
import { HALF_CHEETAH } from './half-cheetah.ts';
import { HOPPER } from './hopper.ts';
import { HUMANOID, HumanoidEnv } from './humanoid.ts';
import { INVERTED_PENDULUM, InvertedPendulumEnv } from './inverted-pendulum.ts';
import { robotEnvSpec, type MujocoEnv, type RobotEnvConfig } from './mujoco-env.ts';
import { PlanarLocomotionEnv } from './planar-locomotion.ts';
import { PUSHER, PusherEnv } from './pusher.ts';
import { REACHER, ReacherEnv } from './reacher.ts';
import { WALKER2D } from './walker2d.ts';

export { initPhysics, type ReadText } from './physics.ts';
export { MujocoEnv } from './mujoco-env.ts';

/** Every robot env: its constants and how to build it. */
export const ROBOT_ENVS: readonly { config: RobotEnvConfig; create: () => MujocoEnv }[] = [
  { config: HOPPER, create: () => new PlanarLocomotionEnv(HOPPER) },
  { config: WALKER2D, create: () => new PlanarLocomotionEnv(WALKER2D) },
  { config: HALF_CHEETAH, create: () => new PlanarLocomotionEnv(HALF_CHEETAH) },
  { config: ANT, create: () => new AntEnv() },
  { config: HUMANOID, create: () => new HumanoidEnv() },
  { config: REACHER, create: () => new ReacherEnv() },
  { config: PUSHER, create: () => new PusherEnv() },
  { config: INVERTED_PENDULUM, create: () => new InvertedPendulumEnv() },
];

export function registerRobotEnvs(): void {
  for (const { config, create } of ROBOT_ENVS) registerEnv(robotEnvSpec(config), create);
}
