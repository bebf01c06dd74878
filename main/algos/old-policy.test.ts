/** The collecting policy's snapshot, and the reverse KL's gradient against finite differences. */
import { describe, expect, it } from 'vitest';
import { uniformBox, discrete } from '../../sim/core/spaces.ts';
import { OldPolicy, klFromOld, klToOld, klToOldBackward, mean } from './old-policy.ts';
import { syntheticAgent } from './synthetic-agent.test-support.ts';
import { finiteDifference, randomArray, seededUniform } from '../rl/numeric.test-support.ts';

describe('OldPolicy', () => {
  it('captures the current heads and log-std, so both KLs start at exactly 0', async () => {
    const agent = await syntheticAgent({ seed: 1, actorScale: 10 });
    const obs = randomArray(10 * 3, seededUniform(2));
    const old = new OldPolicy(agent);
    old.capture(obs, 10);
    const heads = agent.actor.forward(obs, 10).slice();
    expect(old.heads).toEqual(heads);
    expect(old.logStd).toEqual(agent.logStd);
    const kl = new Float32Array(10);
    klFromOld(agent, old.heads, old.logStd, heads, 10, kl);
    expect(Array.from(kl).every((v) => v === 0)).toBe(true);
    klToOld(agent, old.heads, old.logStd, heads, 10, kl);
    expect(Array.from(kl).every((v) => v === 0)).toBe(true);
    // A copy, not a view: later forwards leave the snapshot alone.
    agent.actor.forward(randomArray(10 * 3, seededUniform(3)), 10);
    expect(old.heads).toEqual(heads);
  });
});

describe('KL(current || old)', () => {
  it('matches the closed form for one Gaussian dimension', async () => {
    const agent = await syntheticAgent({ seed: 1, actionSpace: uniformBox(1, -1, 1) });
    agent.logStd[0] = Math.log(2);
    const kl = new Float32Array(1);
    // KL(N(1, 2²) || N(0, 1)) = log(1/2) + (4 + 1) / 2 - 1/2.
    klToOld(agent, Float32Array.of(0), Float32Array.of(0), Float32Array.of(1), 1, kl);
    expect(kl[0]).toBeCloseTo(Math.log(0.5) + 2.5 - 0.5, 6);
  });

  for (const [name, space] of [
    ['Gaussian', uniformBox(3, -1, 1)],
    ['categorical', discrete(4)],
  ] as const) {
    it(`has the gradient finite differences give, w.r.t. the current head and log-std (${name})`, async () => {
      const agent = await syntheticAgent({ seed: 3, actionSpace: space });
      const uniform = seededUniform(4),
        batch = 5,
        n = agent.headSize;
      const oldHeads = randomArray(batch * n, uniform),
        heads = randomArray(batch * n, uniform);
      const oldLogStd = randomArray(agent.logStd.length, uniform, 0.5);
      agent.logStd.set(randomArray(agent.logStd.length, uniform, 0.5));
      const weights = randomArray(batch, uniform);
      const kl = new Float32Array(batch);
      const loss = () => {
        klToOld(agent, oldHeads, oldLogStd, heads, batch, kl);
        return kl.reduce((s, v, b) => s + v * weights[b], 0);
      };
      const dHead = new Float32Array(batch * n),
        dLogStd = new Float32Array(agent.logStd.length);
      klToOldBackward(agent, oldHeads, oldLogStd, heads, batch, weights, dHead, dLogStd);
      for (let i = 0; i < heads.length; i++) expect(dHead[i]).toBeCloseTo(finiteDifference(loss, heads, i, 1e-2), 3);
      for (let k = 0; k < dLogStd.length; k++) expect(dLogStd[k]).toBeCloseTo(finiteDifference(loss, agent.logStd, k, 1e-2), 3);
      expect(mean(kl, batch)).toBeGreaterThan(0);
    });
  }
});
