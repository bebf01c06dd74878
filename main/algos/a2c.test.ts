/** A2C: SB3's defaults, RMSprop, one step per rollout on the advantages. */
import { describe, expect, it } from 'vitest';
import { a2c, a2cHparams } from './a2c.ts';
import { syntheticAgent, syntheticBatch } from './synthetic-agent.test-support.ts';
import { Rng } from '../../sim/index.ts';
import { expectLearns } from '../trainer/learning-check.test-support.ts';

const context = { update: 1, totalUpdates: 10, learningRate: 7e-4 };

describe('a2c', () => {
  it("declares Stable-Baselines3's A2C defaults", () => {
    const hp = a2cHparams.parse({});
    expect([hp.learning_rate, hp.num_steps, hp.gae_lambda, hp.ent_coef, hp.vf_coef, hp.max_grad_norm, hp.norm_adv, hp.anneal_lr]).toEqual([
      7e-4,
      5,
      1,
      0,
      0.5,
      0.5,
      false,
      false,
    ]);
    expect([hp.optimizer, hp.optimizer_eps, hp.num_envs]).toEqual(['rmsprop', 1e-5, 8]);
  });

  it('takes one RMSprop step per rollout, on -mean(A · log π)', async () => {
    const agent = await syntheticAgent({ seed: 5 });
    const algo = a2c.create(agent, a2cHparams.parse({}), Rng.fromSeed(5));
    const batch = syntheticBatch(agent, 5, 5, 8);
    const actorBefore = agent.actor.params.slice();
    const stats = algo.update(batch, context);
    expect(stats.policy_loss).toBeCloseTo(-batch.advantages.reduce((s, a, i) => s + a * batch.logProbs[i], 0) / 40, 5);
    const state = algo.saveState();
    expect(state.scalars.step).toBe(1);
    expect(Object.keys(state.arrays)).toEqual(['square_avg/0', 'square_avg/1', 'square_avg/2']);
    // RMSprop's first step moves each parameter by lr · g / (√(0.01 g²) + eps) ≈ 10 · lr, whatever the gradient's scale.
    const moved = agent.actor.params.map((p, i) => Math.abs(p - actorBefore[i]));
    expect(Math.max(...moved)).toBeLessThanOrEqual(10 * 7e-4 * 1.0001);
    expect(Math.max(...moved)).toBeGreaterThan(9 * 7e-4);
  });

  it('can use Adam instead', async () => {
    const agent = await syntheticAgent({ seed: 6 });
    const algo = a2c.create(agent, a2cHparams.parse({ optimizer: 'adam' }), Rng.fromSeed(6));
    algo.update(syntheticBatch(agent, 6), context);
    expect(Object.keys(algo.saveState().arrays)).toContain('exp_avg_sq/0');
  });
});

describe('a2c on Pendulum-v1', () => {
  it('improves in a short seeded run', async () => {
    // The zoo's Pendulum shape (8 envs x 8 steps, gamma 0.9, lambda 0.9) with a larger RMSprop step.
    // It checks that A2C learns, not how fast: over seeds 1-5 the training return rises by 26-758
    // on XNNPACK's products (seed 1: 253) and by 43-658 on our TypeScript kernels' (seed 1: 658).
    await expectLearns({
      algo: 'a2c',
      hparams: { num_envs: 8, num_steps: 8, gamma: 0.9, gae_lambda: 0.9, learning_rate: 2e-3 },
      totalSteps: 160_000,
      seed: 1,
      margin: 200,
    });
  });
});
