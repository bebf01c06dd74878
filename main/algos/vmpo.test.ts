/** V-MPO: top-half selection, weights and temperature loss by hand; gradients by finite differences; a live trust region. */
import { describe, expect, it } from 'vitest';
import { uniformBox, discrete } from '../../sim/core/spaces.ts';
import { MIN_MULTIPLIER, VmpoScratch, selectTopHalf, temperatureLoss, vmpo, vmpoHparams, vmpoKlBackward, vmpoLoss } from './vmpo.ts';
import { OldPolicy, klFromOld, mean } from './old-policy.ts';
import type { LossGradients, Minibatch } from './minibatch.ts';
import { snapshotParams, syntheticAgent, syntheticBatch } from './synthetic-agent.test-support.ts';
import { expectGradientsMatch } from '../rl/gradient-check.test-support.ts';
import { Rng } from '../../sim/index.ts';
import { expectLearns } from '../trainer/learning-check.test-support.ts';

const context = { update: 1, totalUpdates: 10, learningRate: 1e-3 };

describe('V-MPO top half', () => {
  it('keeps the advantages at or above the median (even m: mean of the middle two)', () => {
    const selected = new Uint8Array(4);
    expect(selectTopHalf(Float32Array.of(1, -1, 2, 0), 4, selected)).toBe(2); // median 0.5
    expect(Array.from(selected)).toEqual([1, 0, 1, 0]);
    const odd = new Uint8Array(5);
    expect(selectTopHalf(Float32Array.of(3, 1, 2, -4, 0), 5, odd)).toBe(3); // median 1
    expect(Array.from(odd)).toEqual([1, 1, 1, 0, 0]);
    const ties = new Uint8Array(4);
    expect(selectTopHalf(Float32Array.of(1, 1, 1, 1), 4, ties)).toBe(4);
  });
});

describe('V-MPO temperature', () => {
  const advantages = Float32Array.of(1, -1, 2, 0);
  const selected = Uint8Array.of(1, 0, 1, 0);

  it('weights ψ = softmax(Â/η) over the kept samples, and L_η = η ε_η + η log mean exp(Â/η)', () => {
    const weights = new Float64Array(4);
    const e = Math.E;
    const eta1 = temperatureLoss(advantages, selected, 4, 1, 0.01, weights);
    expect(weights[0]).toBeCloseTo(e / (e + e * e), 12); // 1 / (1 + e)
    expect(weights[2]).toBeCloseTo((e * e) / (e + e * e), 12);
    expect(weights[1]).toBe(0);
    expect(weights[3]).toBe(0);
    expect(eta1.loss).toBeCloseTo(0.01 + Math.log((e + e * e) / 2), 12);
    // η = 2: ψ ∝ exp(Â / 2), L_η = 2·0.01 + 2 log((e^½ + e) / 2).
    const eta2 = temperatureLoss(advantages, selected, 4, 2, 0.01, weights);
    expect(weights[0]).toBeCloseTo(Math.sqrt(e) / (Math.sqrt(e) + e), 12);
    expect(eta2.loss).toBeCloseTo(0.02 + 2 * Math.log((Math.sqrt(e) + e) / 2), 12);
  });

  it('has dL_η/dη = ε_η + log mean exp(Â/η) - Σψ Â / η, as finite differences confirm', () => {
    const weights = new Float64Array(4);
    for (const eta of [0.1, 0.7, 1, 3]) {
      const { dEta } = temperatureLoss(advantages, selected, 4, eta, 0.01, weights);
      const h = 1e-6;
      const numeric =
        (temperatureLoss(advantages, selected, 4, eta + h, 0.01, weights).loss - temperatureLoss(advantages, selected, 4, eta - h, 0.01, weights).loss) /
        (2 * h);
      expect(dEta).toBeCloseTo(numeric, 6);
    }
  });

  it('stays finite for a tiny temperature (log-sum-exp with the max taken out)', () => {
    const { loss, dEta } = temperatureLoss(Float32Array.of(50, -50, 100, 0), selected, 4, 1e-3, 0.01, new Float64Array(4));
    expect(Number.isFinite(loss) && Number.isFinite(dEta)).toBe(true);
  });
});

describe('V-MPO loss', () => {
  for (const [name, space] of [
    ['Gaussian', uniformBox(2, -1, 1)],
    ['categorical', discrete(3)],
  ] as const) {
    it(`has network gradients that match finite differences, KL terms included (${name})`, async () => {
      const agent = await syntheticAgent({ seed: 21, actionSpace: space, actorScale: 20 });
      const batch = syntheticBatch(agent, 21, 8, 2);
      const m = 16;
      const old = new OldPolicy(agent);
      old.capture(batch.obs, m);
      // Move the policy away from the one that collected the batch, so both KLs and their gradients are non-zero.
      agent.actor.params.forEach((v, i, a) => (a[i] = v * 1.1 + 0.01 * Math.sin(i)));
      agent.logStd.forEach((v, i, a) => (a[i] = v + 0.2 * (i + 1)));
      agent.paramsChanged();
      const mb: Minibatch = { ...batch };
      const hp = vmpoHparams.parse({ vf_coef: 0.7 });
      const multipliers = Float32Array.of(0.8, 3, 5);
      const grads: LossGradients = { dLogProbs: new Float32Array(m), dEntropies: new Float32Array(m), dValues: new Float32Array(m) };
      const dMultipliers = new Float32Array(3),
        scratch = new VmpoScratch();
      const terms = () => vmpoLoss(agent, agent.evaluate(mb.obs, mb.actions, m), mb, old.heads, old.logStd, m, hp, multipliers, grads, dMultipliers, scratch);
      // The loss as seen by the networks: ψ and the multipliers are constants (stop-gradient).
      const loss = () => {
        const t = terms();
        return t.policyLoss + multipliers[1] * t.klMu + multipliers[2] * t.klSigma + hp.vf_coef * t.valueLoss;
      };
      const t = terms();
      expect(t.klMu).toBeGreaterThan(0);
      if (name === 'Gaussian') expect(t.klSigma).toBeGreaterThan(0);
      expect(t.selectedFraction).toBe(0.5);
      expect(dMultipliers[1]).toBeCloseTo(hp.eps_mu - t.klMu, 6);
      if (name === 'Gaussian') expect(dMultipliers[2]).toBeCloseTo(hp.eps_sigma - t.klSigma, 6);
      const current = agent.evaluate(mb.obs, mb.actions, m);
      vmpoLoss(agent, current, mb, old.heads, old.logStd, m, hp, multipliers, grads, dMultipliers, scratch);
      agent.zeroGrads();
      agent.backward(grads.dLogProbs, grads.dEntropies, grads.dValues, m, (dHead, dLogStd) =>
        vmpoKlBackward(agent, old.heads, old.logStd, current.heads, m, multipliers, scratch, dHead, dLogStd),
      );
      expect(expectGradientsMatch(agent.paramGroups(), loss)).toBeGreaterThan(40);
    });
  }

  it('measures KL 0 against the collecting policy before any step (both parts)', async () => {
    const agent = await syntheticAgent({ seed: 2, actorScale: 10 });
    const batch = syntheticBatch(agent, 2, 8, 2);
    const old = new OldPolicy(agent);
    old.capture(batch.obs, 16);
    const grads: LossGradients = { dLogProbs: new Float32Array(16), dEntropies: new Float32Array(16), dValues: new Float32Array(16) };
    const t = vmpoLoss(
      agent,
      agent.evaluate(batch.obs, batch.actions, 16),
      batch,
      old.heads,
      old.logStd,
      16,
      vmpoHparams.parse({}),
      Float32Array.of(1, 1, 1),
      grads,
      new Float32Array(3),
      new VmpoScratch(),
    );
    expect(t.klMu).toBe(0);
    expect(t.klSigma).toBe(0);
  });
});

describe('vmpo algorithm', () => {
  for (const [name, space] of [
    ['Gaussian', uniformBox(2, -1, 1)],
    ['categorical', discrete(3)],
  ] as const) {
    it(`moves the policy away from the collecting one: its KL is non-zero after a step (${name})`, async () => {
      const agent = await syntheticAgent({ seed: 5, actionSpace: space, actorScale: 10 });
      const batch = syntheticBatch(agent, 5);
      const before = new OldPolicy(agent);
      before.capture(batch.obs, 64);
      const algo = vmpo.create(agent, vmpoHparams.parse({ num_minibatches: 4, update_epochs: 2 }), Rng.fromSeed(5));
      const stats = algo.update(batch, context);
      expect(stats.kl_mu).toBeGreaterThan(0);
      if (name === 'Gaussian') expect(stats.kl_sigma).toBeGreaterThan(0);
      const kl = new Float32Array(64);
      klFromOld(agent, before.heads, before.logStd, agent.actor.forward(batch.obs, 64), 64, kl);
      expect(mean(kl, 64)).toBeGreaterThan(0);
      // KL_μ stayed below ε_μ, so α_μ's gradient ε_μ - KL_μ was positive and Adam lowered it from 1.
      expect(stats.alpha_mu).toBeLessThan(1);
      expect(stats.eta).not.toBe(1);
      expect(stats.selected_fraction).toBe(0.5);
    });
  }

  it('clamps the multipliers at 1e-8', async () => {
    const agent = await syntheticAgent({ seed: 6 });
    // Large epsilons push every multiplier down; a large step size gets them below zero fast.
    const hp = vmpoHparams.parse({ num_minibatches: 4, update_epochs: 3, eps_eta: 10, eps_mu: 10, eps_sigma: 10 });
    const algo = vmpo.create(agent, hp, Rng.fromSeed(6));
    const stats = algo.update(syntheticBatch(agent, 6), { ...context, learningRate: 0.4 });
    for (const key of ['eta', 'alpha_mu', 'alpha_sigma']) expect(stats[key]).toBe(Math.fround(MIN_MULTIPLIER));
    expect(snapshotParams(agent).every((p) => p.every(Number.isFinite))).toBe(true);
  });

  it('saves and restores its multipliers with the optimizer state', async () => {
    const agent = await syntheticAgent({ seed: 7 });
    const algo = vmpo.create(agent, vmpoHparams.parse({ num_minibatches: 2, update_epochs: 1 }), Rng.fromSeed(7));
    const stats = algo.update(syntheticBatch(agent, 7), context);
    const state = algo.saveState();
    expect(Array.from(state.arrays.multipliers)).toEqual([stats.eta, stats.alpha_mu, stats.alpha_sigma]);
    const other = vmpo.create(agent, vmpoHparams.parse({}), Rng.fromSeed(7));
    other.loadState(state);
    expect(other.saveState()).toEqual(state);
    expect(() => other.loadState({ scalars: state.scalars, arrays: { ...state.arrays, multipliers: new Float32Array(2) } })).toThrow('3 multipliers');
  });

  it("declares PolicyGradientsJax's defaults", () => {
    const hp = vmpoHparams.parse({});
    expect([hp.eps_eta, hp.eps_mu, hp.eps_sigma, hp.eta_init, hp.alpha_mu_init, hp.alpha_sigma_init]).toEqual([0.01, 0.01, 5e-5, 1, 1, 1]);
    expect([hp.update_epochs, hp.num_minibatches, hp.norm_adv, hp.top_half, hp.vf_coef]).toEqual([10, 8, false, true, 1]);
  });
});

describe('vmpo on Pendulum-v1', () => {
  it('improves in a short seeded run', async () => {
    await expectLearns({ algo: 'vmpo', hparams: { num_envs: 4, num_steps: 512, gamma: 0.9, learning_rate: 1e-3 }, totalSteps: 40_960, seed: 1, margin: 120 });
  });
});
