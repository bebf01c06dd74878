/**
 * The suite through the public registry: makeEnv refuses robots until initPhysics() has finished,
 * then gives TimeLimit-wrapped envs whose results follow the spec.
 */
import { describe, expect, it } from 'vitest';
import { listEnvs, makeEnv } from '../core/registry.ts';
import { initPhysics, registerRobotEnvs, ROBOT_ENVS } from './index.ts';

registerRobotEnvs();

describe('robot registry', () => {
  it('lists every robot before any physics is loaded', () => {
    const ids = listEnvs().map((s) => s.id);
    for (const { config } of ROBOT_ENVS) expect(ids).toContain(config.id);
  });

  it('explains that makeEnv needs initPhysics() first', () => {
    expect(() => makeEnv('Hopper-v0')).toThrow(/await initPhysics\(\)/);
  });

  it.each(ROBOT_ENVS.map((e) => e.config.id))('%s follows its spec and truncates at the time limit', async (id) => {
    await initPhysics();
    const env = makeEnv(id, { maxEpisodeSteps: 5 });
    const { spec } = env;
    const { obs } = env.reset({ seed: 0 });
    expect(obs.length).toBe(spec.observationSpace.size);
    const action = new Float64Array(spec.actionSpace.kind === 'box' ? spec.actionSpace.size : 1);
    for (let t = 1; t <= 5; t++) {
      const r = env.step(action);
      expect(r.obs.length).toBe(spec.observationSpace.size);
      expect(Object.keys(r.info.rewardTerms ?? {}).sort()).toEqual([...spec.rewardTerms].sort());
      const sum = Object.values(r.info.rewardTerms ?? {}).reduce((a, b) => a + b, 0);
      expect(r.reward).toBeCloseTo(sum, 12);
      expect(r.truncated).toBe(t === 5);
    }
    expect(env.frame().length).toBe(7 * env.scene.bodies.length);
    env.close();
  });
});
