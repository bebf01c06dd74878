/** TRPO: every accepted step stays inside the trust region, improves the surrogate, and the critic learns. */
import { describe, expect, it } from 'vitest';
import { uniformBox, discrete } from '../../sim/core/spaces.ts';
import { trpo, trpoHparams } from './trpo.ts';
import { OldPolicy, klFromOld, mean } from './old-policy.ts';
import type { ActorCritic } from '../agent/actor-critic.ts';
import type { RolloutBatch } from './algorithm.ts';
import { snapshotParams, syntheticAgent, syntheticBatch } from './synthetic-agent.test-support.ts';
import { normalizeAdvantages } from '../rl/normalize-advantages.ts';
import { Rng } from '../../sim/index.ts';
import { expectLearns } from '../trainer/learning-check.test-support.ts';

const context = { update: 1, totalUpdates: 10, learningRate: 1e-3 };

/** Mean KL(before || now) over the batch's states, computed apart from TRPO's own line search. */
function klSince(agent: ActorCritic, before: OldPolicy, batch: RolloutBatch): number {
  const rows = batch.numSteps * batch.numEnvs;
  const heads = agent.actor.forward(batch.obs, rows);
  const kl = new Float32Array(rows);
  klFromOld(agent, before.heads, before.logStd, heads, rows, kl);
  return mean(kl, rows);
}

/** mean(ρ Â) with Â normalized over the batch, at the agent's current parameters. */
function surrogate(agent: ActorCritic, batch: RolloutBatch): number {
  const rows = batch.numSteps * batch.numEnvs;
  const adv = batch.advantages.slice();
  normalizeAdvantages(adv);
  const { logProbs } = agent.evaluate(batch.obs, batch.actions, rows);
  let sum = 0;
  for (let i = 0; i < rows; i++) sum += Math.exp(logProbs[i] - batch.logProbs[i]) * adv[i];
  return sum / rows;
}

describe('TRPO policy step', () => {
  const cases = [
    { name: 'Gaussian, max_kl 0.01', space: uniformBox(2, -1, 1), maxKl: 0.01, damping: 0.1, actorScale: 1, backtracks: false },
    // A sharp policy, a large region and little damping: the quadratic model overshoots, the search backtracks.
    { name: 'Gaussian, sharp policy, max_kl 0.2', space: uniformBox(2, -1, 1), maxKl: 0.2, damping: 0.01, actorScale: 40, backtracks: true },
    { name: 'categorical, max_kl 0.01', space: discrete(3), maxKl: 0.01, damping: 0.1, actorScale: 10, backtracks: false },
    { name: 'categorical, sharp policy, max_kl 1', space: discrete(3), maxKl: 1, damping: 0.01, actorScale: 30, backtracks: false },
  ];
  for (const c of cases) {
    it(`never exceeds max_kl and improves the surrogate (${c.name})`, async () => {
      let backtracked = 0;
      for (let seed = 1; seed <= 4; seed++) {
        const agent = await syntheticAgent({ seed, actionSpace: c.space, actorScale: c.actorScale });
        const algo = trpo.create(agent, trpoHparams.parse({ max_kl: c.maxKl, cg_damping: c.damping, critic_epochs: 1 }), Rng.fromSeed(seed));
        const batch = syntheticBatch(agent, seed, 32, 2);
        const before = new OldPolicy(agent);
        before.capture(batch.obs, 64);
        const surrogateBefore = surrogate(agent, batch);
        const stats = algo.update(batch, context);
        const kl = klSince(agent, before, batch);
        expect(kl).toBeLessThanOrEqual(c.maxKl);
        expect(stats.step_accepted).toBe(1);
        expect(stats.kl).toBeCloseTo(kl, 6);
        expect(kl).toBeGreaterThan(0);
        expect(stats.surrogate_improvement).toBeGreaterThan(0);
        expect(surrogate(agent, batch) - surrogateBefore).toBeCloseTo(stats.surrogate_improvement, 5);
        expect(stats.line_search_steps).toBeGreaterThanOrEqual(1);
        expect(stats.line_search_steps).toBeLessThanOrEqual(10);
        if (stats.line_search_steps > 1) backtracked++;
      }
      if (c.backtracks) expect(backtracked).toBeGreaterThan(0);
    });
  }

  it('takes the full step, near max_kl, where the quadratic model of the KL holds', async () => {
    for (let seed = 1; seed <= 4; seed++) {
      const agent = await syntheticAgent({ seed });
      const algo = trpo.create(agent, trpoHparams.parse({ max_kl: 0.001 }), Rng.fromSeed(seed));
      const stats = algo.update(syntheticBatch(agent, seed), context);
      expect(stats.line_search_steps).toBe(1);
      // Damping (F + 0.1 I) makes the step a little shorter than the undamped model's.
      expect(stats.kl).toBeGreaterThan(0.0007);
      expect(stats.kl).toBeLessThanOrEqual(0.001);
      // The linear model predicts the surrogate's gain for so small a step.
      expect(stats.surrogate_improvement / stats.expected_improvement).toBeCloseTo(1, 1);
    }
  });

  it('keeps the policy when no candidate step is accepted (zero advantages)', async () => {
    const agent = await syntheticAgent({ seed: 4 });
    const algo = trpo.create(agent, trpoHparams.parse({}), Rng.fromSeed(4));
    const batch = syntheticBatch(agent, 4);
    batch.advantages.fill(0);
    const actorBefore = agent.actor.params.slice(),
      logStdBefore = agent.logStd.slice();
    const stats = algo.update(batch, context);
    expect(stats.step_accepted).toBe(0);
    expect(agent.actor.params).toEqual(actorBefore);
    expect(agent.logStd).toEqual(logStdBefore);
  });

  it('with an entropy bonus and nothing else to gain, widens the policy inside the trust region', async () => {
    const agent = await syntheticAgent({ seed: 4 });
    const algo = trpo.create(agent, trpoHparams.parse({ ent_coef: 0.01 }), Rng.fromSeed(4));
    const batch = syntheticBatch(agent, 4);
    batch.advantages.fill(0);
    const before = new OldPolicy(agent);
    before.capture(batch.obs, batch.numSteps * batch.numEnvs);
    const logStdBefore = agent.logStd.slice();
    const stats = algo.update(batch, context);
    expect(stats.step_accepted).toBe(1);
    // The surrogate is c·H: the gain is c times the entropy added, sum(Δ log σ) for a diagonal Gaussian.
    const entropyGain = agent.logStd.reduce((sum, v, i) => sum + v - logStdBefore[i], 0);
    expect(entropyGain).toBeGreaterThan(0);
    expect(stats.surrogate_improvement).toBeCloseTo(0.01 * entropyGain, 6);
    expect(klSince(agent, before, batch)).toBeLessThanOrEqual(0.01);
  });

  it('fits the critic by itself and restores its optimizer state', async () => {
    const agent = await syntheticAgent({ seed: 3 });
    const algo = trpo.create(agent, trpoHparams.parse({ num_minibatches: 4, critic_epochs: 5 }), Rng.fromSeed(3));
    const batch = syntheticBatch(agent, 3);
    const first = algo.update(batch, context);
    const second = algo.update(batch, context);
    expect(second.value_loss).toBeLessThan(first.value_loss);
    const state = algo.saveState();
    expect(state.scalars.step).toBe(40);
    const criticBefore = snapshotParams(agent)[1];
    expect(criticBefore.length).toBe(agent.critic.params.length);
    const other = trpo.create(agent, trpoHparams.parse({}), Rng.fromSeed(3));
    other.loadState(state);
    expect(other.saveState()).toEqual(state);
  });

  it('declares the trust-region defaults', () => {
    const hp = trpoHparams.parse({});
    expect([hp.max_kl, hp.cg_damping, hp.cg_iters, hp.line_search_steps, hp.line_search_shrink]).toEqual([0.01, 0.1, 10, 10, 0.8]);
    expect([hp.critic_epochs, hp.learning_rate, hp.anneal_lr]).toEqual([10, 1e-3, false]);
  });
});

describe('trpo on Pendulum-v1', () => {
  it('improves in a short seeded run', async () => {
    await expectLearns({ algo: 'trpo', hparams: { num_envs: 4, num_steps: 512, gamma: 0.9, max_kl: 0.02 }, totalSteps: 30_720, seed: 1, margin: 200 });
  });
});
