/** MDPO: the step-size schedule, its loss gradient, and a full-batch update that moves away from the collecting policy. */
import { describe, expect, it } from 'vitest';
import { uniformBox, discrete } from '../../sim/core/spaces.ts';
import { mdpo, mdpoHparams, mdpoLoss, mdpoStepSize } from './mdpo.ts';
import { OldPolicy } from './old-policy.ts';
import { snapshotParams, syntheticAgent, syntheticBatch } from './synthetic-agent.test-support.ts';
import { expectGradientsMatch } from '../rl/gradient-check.test-support.ts';
import { Rng } from '../../sim/index.ts';
import { expectLearns } from '../trainer/learning-check.test-support.ts';

describe('MDPO step size t_k = 1 - (k - 1)/K', () => {
  it('runs from 1 at the first update to 1/K at the last, linearly', () => {
    expect(mdpoStepSize(1, 100)).toBe(1);
    expect(mdpoStepSize(51, 100)).toBe(0.5);
    expect(mdpoStepSize(100, 100)).toBeCloseTo(0.01, 12);
    expect(mdpoStepSize(1, 1)).toBe(1);
    for (let k = 1; k < 10; k++) expect(mdpoStepSize(k, 10) - mdpoStepSize(k + 1, 10)).toBeCloseTo(0.1, 12);
    expect(mdpoStepSize(12, 10)).toBeCloseTo(0.1, 12); // past K: stays at 1/K, never 0 or negative
  });
});

describe('MDPO loss', () => {
  for (const [name, space] of [
    ['Gaussian', uniformBox(2, -1, 1)],
    ['categorical', discrete(3)],
  ] as const) {
    it(`has the gradient finite differences give, KL(π || π_old) included (${name})`, async () => {
      const agent = await syntheticAgent({ seed: 8, actionSpace: space, actorScale: 20 });
      const batch = syntheticBatch(agent, 8, 8, 2);
      const rows = 16;
      const old = new OldPolicy(agent);
      old.capture(batch.obs, rows);
      agent.actor.params.forEach((v, i, a) => (a[i] = v * 1.1 + 0.01 * Math.cos(i)));
      agent.logStd.forEach((v, i, a) => (a[i] = v - 0.15 * (i + 1)));
      agent.paramsChanged();
      const buffers = { dLogProbs: new Float32Array(rows), zeros: new Float32Array(rows), kl: new Float32Array(rows), dKl: new Float32Array(rows) };
      const klWeight = 3;
      const loss = () => {
        const t = mdpoLoss(agent, batch, batch.advantages, old, klWeight, buffers, false);
        return t.policyLoss + klWeight * t.kl;
      };
      const terms = mdpoLoss(agent, batch, batch.advantages, old, klWeight, buffers, true);
      expect(terms.kl).toBeGreaterThan(0);
      expect(
        expectGradientsMatch(
          agent.paramGroups().filter((g) => g.name !== 'critic'),
          loss,
        ),
      ).toBeGreaterThanOrEqual(40);
    });
  }
});

describe('mdpo algorithm', () => {
  it('takes sgd_steps policy steps, weights the KL by 1/t_k, and fits the critic', async () => {
    const agent = await syntheticAgent({ seed: 4 });
    const algo = mdpo.create(agent, mdpoHparams.parse({ sgd_steps: 3, num_minibatches: 4, critic_epochs: 2 }), Rng.fromSeed(4));
    const batch = syntheticBatch(agent, 4);
    const before = snapshotParams(agent);
    const stats = algo.update(batch, { update: 3, totalUpdates: 4, learningRate: 1e-2 });
    expect(stats.kl_coef).toBe(2); // t_3 = 1 - 2/4
    expect(stats.kl).toBeGreaterThan(0);
    expect(stats.policy_loss).toBeLessThan(stats.policy_loss_before);
    const after = snapshotParams(agent);
    before.forEach((p, g) => expect(after[g]).not.toEqual(p));
    const state = algo.saveState();
    expect(state.scalars['policy/step']).toBe(3);
    expect(state.scalars['critic/step']).toBe(8);
    const other = mdpo.create(agent, mdpoHparams.parse({}), Rng.fromSeed(4));
    other.loadState(state);
    expect(other.saveState()).toEqual(state);
  });

  it("declares mdpo_on's defaults", () => {
    const hp = mdpoHparams.parse({});
    expect([hp.sgd_steps, hp.learning_rate, hp.anneal_lr, hp.norm_adv, hp.critic_epochs, hp.num_minibatches, hp.clip_coef]).toEqual([
      5,
      3e-4,
      false,
      true,
      5,
      16,
      0.2,
    ]);
  });
});

describe('mdpo on Pendulum-v1', () => {
  it('improves in a short seeded run', async () => {
    await expectLearns({
      algo: 'mdpo',
      hparams: { num_envs: 4, num_steps: 256, gamma: 0.9, learning_rate: 3e-3, sgd_steps: 10 },
      totalSteps: 40_960,
      seed: 1,
      margin: 250,
    });
  });
});
