/** Registers the classic-control tasks. */
import { registerEnv } from '../core/registry.ts';
import { CartPole, cartPoleSpec } from './cartpole.ts';
import { MountainCarContinuous, mountainCarContinuousSpec } from './mountain-car-continuous.ts';
import { Pendulum, pendulumSpec } from './pendulum.ts';

export function registerClassicEnvs(): void {
  registerEnv(pendulumSpec, () => new Pendulum());
  registerEnv(mountainCarContinuousSpec, () => new MountainCarContinuous());
  registerEnv(cartPoleSpec, () => new CartPole());
}
