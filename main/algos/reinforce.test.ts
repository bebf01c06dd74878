/** REINFORCE: Monte-Carlo weights (returns, or returns minus the baseline), one step per rollout. */
import { describe, expect, it } from 'vitest';
import { reinforce, reinforceHparams } from './reinforce.ts';
import { computeGae } from '../rl/gae.ts';
import { normalizeAdvantages } from '../rl/normalize-advantages.ts';
import { syntheticAgent, syntheticBatch } from './synthetic-agent.test-support.ts';
import type { RolloutBatch } from './algorithm.ts';
import { Rng } from '../../sim/index.ts';
import { expectLearns } from '../trainer/learning-check.test-support.ts';

const context = { update: 1, totalUpdates: 10, learningRate: 1e-3 };

/** -mean(w · log π_old), the policy loss before the step, by hand. */
function expectedPolicyLoss(batch: RolloutBatch, weights: Float32Array): number {
  return -weights.reduce((s, w, i) => s + w * batch.logProbs[i], 0) / weights.length;
}

describe('reinforce', () => {
  it("declares PolicyGradientsJax's defaults and fixes gae_lambda at 1", () => {
    const hp = reinforceHparams.parse({});
    expect([hp.learning_rate, hp.num_steps, hp.num_envs, hp.gamma, hp.ent_coef, hp.max_grad_norm, hp.baseline, hp.norm_adv]).toEqual([
      3e-4,
      2048,
      1,
      0.99,
      0,
      0.5,
      false,
      false,
    ]);
    expect(hp.gae_lambda).toBe(1);
    expect(() => reinforceHparams.parse({ gae_lambda: 0.95 })).toThrow();
  });

  it('GAE with lambda 1 is the discounted return-to-go, bootstrapped only where an episode was cut', () => {
    // One env, 4 steps: the episode terminates at t = 1; a new one is cut by the rollout's end after t = 3.
    const rewards = Float32Array.of(1, 2, 3, 4),
      values = Float32Array.of(0.5, -1, 2, 0.25);
    const { returns } = computeGae({
      rewards,
      values,
      nextValues: Float32Array.of(-1, 0, 0.25, 10), // V(s_{t+1}); 10 = V(last obs)
      terminated: Float32Array.of(0, 1, 0, 0),
      episodeEnded: Float32Array.of(0, 1, 0, 0),
      gamma: 0.9,
      lambda: 1,
      numSteps: 4,
      numEnvs: 1,
    });
    expect(Array.from(returns)).toEqual([1 + 0.9 * 2, 2, 3 + 0.9 * 4 + 0.81 * 10, 4 + 0.9 * 10].map(Math.fround));
  });

  for (const baseline of [false, true]) {
    it(`weights log-probs by ${baseline ? 'G - V (advantages)' : 'the return G'}, in one step`, async () => {
      const agent = await syntheticAgent({ seed: 3 });
      const algo = reinforce.create(agent, reinforceHparams.parse({ baseline }), Rng.fromSeed(3));
      const batch = syntheticBatch(agent, 3);
      const stats = algo.update(batch, context);
      expect(stats.policy_loss).toBeCloseTo(expectedPolicyLoss(batch, baseline ? batch.advantages : batch.returns), 5);
      expect(algo.saveState().scalars.step).toBe(1);
    });
  }

  it('standardizes the weights when norm_adv is on', async () => {
    const agent = await syntheticAgent({ seed: 4 });
    const algo = reinforce.create(agent, reinforceHparams.parse({ norm_adv: true }), Rng.fromSeed(4));
    const batch = syntheticBatch(agent, 4);
    const weights = batch.returns.slice();
    normalizeAdvantages(weights);
    expect(algo.update(batch, context).policy_loss).toBeCloseTo(expectedPolicyLoss(batch, weights), 5);
    expect(batch.returns).toEqual(syntheticBatch(await syntheticAgent({ seed: 4 }), 4).returns); // the batch is left as it was
  });
});

describe('reinforce on Pendulum-v1', () => {
  it('improves in a short seeded run', async () => {
    // Whole 200-step episodes per env, so every return is a complete Monte-Carlo one. REINFORCE's variance makes it the slowest here.
    await expectLearns({
      algo: 'reinforce',
      hparams: { num_envs: 4, num_steps: 200, gamma: 0.9, learning_rate: 3e-3, baseline: true, norm_adv: true },
      totalSteps: 120_000,
      seed: 1,
      margin: 70,
    });
  });
});
