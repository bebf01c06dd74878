/**
 * The environment registry behind makeEnv/listEnvs (Gymnasium's `register`/`make`). Classic
 * control registers itself in sim/index.ts; the robot suite adds its envs the same way.
 */
import type { Env, EnvSpec } from './env.ts';
import { TimeLimit } from './time-limit.ts';

export interface MakeEnvOptions {
  /** Overrides the spec's time limit. */
  maxEpisodeSteps?: number;
}

export type EnvFactory = () => Env;

const entries = new Map<string, { spec: EnvSpec; create: EnvFactory }>();

/**
 * Adds an env id. The spec is given up front so listEnvs() can describe an env without building
 * it (robot envs cannot be built before their physics engine is loaded).
 */
export function registerEnv(spec: EnvSpec, create: EnvFactory): void {
  if (entries.has(spec.id)) throw new Error(`environment "${spec.id}" is already registered`);
  entries.set(spec.id, { spec, create });
}

/** Gymnasium's make: a fresh env wrapped in its time limit. */
export function makeEnv(id: string, options: MakeEnvOptions = {}): Env {
  const entry = entries.get(id);
  if (!entry) throw new Error(`unknown environment "${id}"; known: ${[...entries.keys()].join(', ')}`);
  return new TimeLimit(entry.create(), options.maxEpisodeSteps ?? entry.spec.maxEpisodeSteps);
}

/** Every registered env's spec, in registration order. */
export function listEnvs(): EnvSpec[] {
  return [...entries.values()].map((entry) => entry.spec);
}
