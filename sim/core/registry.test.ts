import { describe, expect, it } from 'vitest';
import type { Env } from './env.ts';
import { listEnvs, makeEnv, registerEnv } from './registry.ts';
import { box } from './spaces.ts';
import { TimeLimit } from './time-limit.ts';

const spec = {
  id: 'Stub-v0',
  description: 'a registry test stub',
  observationSpace: box([0], [1]),
  actionSpace: box([-1], [1]),
  dtSeconds: 0.1,
  maxEpisodeSteps: 7,
  rewardTerms: [],
};

describe('env registry', () => {
  let built = 0;
  registerEnv(spec, () => {
    built++;
    return { spec } as unknown as Env; // makeEnv only wraps it
  });

  it('lists registered specs without building the envs', () => {
    expect(listEnvs()).toContainEqual(spec);
    expect(built).toBe(0);
  });

  it('makes a fresh env wrapped in its time limit, which options can override', () => {
    const env = makeEnv('Stub-v0');
    expect(env).toBeInstanceOf(TimeLimit);
    expect(env.spec.maxEpisodeSteps).toBe(7);
    expect(makeEnv('Stub-v0', { maxEpisodeSteps: 3 }).spec.maxEpisodeSteps).toBe(3);
    expect(built).toBe(2);
  });

  it('names the unknown id and the known ones', () => {
    expect(() => makeEnv('Stub-v1')).toThrow('unknown environment "Stub-v1"; known: Stub-v0');
  });

  it('refuses to register an id twice', () => {
    expect(() => registerEnv(spec, () => ({}) as Env)).toThrow('"Stub-v0" is already registered');
  });
});
