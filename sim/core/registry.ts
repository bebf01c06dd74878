/** The environment registry behind makeEnv/listEnvs: classic control registers itself, robots are added by sim/robots. */
import type { Env, EnvSpec } from './env.ts';
import { TimeLimit } from './time-limit.ts';

export interface MakeEnvOptions {
  /** Overrides the spec's time limit. */
  maxEpisodeSteps?: number;
}

type EnvFactory = () => Env;

const factories = new Map<string, { spec: EnvSpec; create: EnvFactory }>();

/** Adds an env id; `spec` is what listEnvs() reports without building the env. */
export function registerEnv(spec: EnvSpec, create: EnvFactory): void {
  factories.set(spec.id, { spec, create });
}

/** Gymnasium's make: the env wrapped in its time limit. */
export function makeEnv(id: string, options: MakeEnvOptions = {}): Env {
  const entry = factories.get(id);
  if (!entry) throw new Error(`unknown environment "${id}"; known: ${[...factories.keys()].join(', ')}`);
  return new TimeLimit(entry.create(), options.maxEpisodeSteps ?? entry.spec.maxEpisodeSteps);
}

export function listEnvs(): EnvSpec[] {
  return [...factories.values()].map((f) => f.spec);
}
