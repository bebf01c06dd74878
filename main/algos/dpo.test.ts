/** DPO: LPO's drift by hand, its derivative, and the whole loss's gradient against finite differences. */
import { describe, expect, it } from 'vitest';
import { uniformBox, discrete } from '../../sim/core/spaces.ts';
import { dpo, dpoHparams, dpoObjective } from './dpo.ts';
import { ppoLoss, type PolicyTermResult } from './ppo.ts';
import type { LossGradients, Minibatch } from './minibatch.ts';
import { snapshotParams, syntheticAgent, syntheticBatch } from './synthetic-agent.test-support.ts';
import { expectGradientsMatch } from '../rl/gradient-check.test-support.ts';
import { seededUniform } from '../rl/numeric.test-support.ts';
import { Rng } from '../../sim/index.ts';
import { expectLearns } from '../trainer/learning-check.test-support.ts';

const term = dpoObjective(2, 0.6);
/** drift = loss + ρÂ, since the term's loss is -(ρÂ - drift). */
function evaluate(ratio: number, adv: number): PolicyTermResult & { drift: number } {
  const out: PolicyTermResult = { loss: 0, dLogRatio: 0, active: false };
  term(ratio, Math.log(ratio), adv, out);
  return { ...out, drift: out.loss + ratio * adv };
}

describe('LPO drift (alpha 2, beta 0.6)', () => {
  it('is zero at ratio 1, where the gradient is the plain policy gradient -Â', () => {
    for (const adv of [-3, -0.5, 0, 0.7, 4]) {
      const r = evaluate(1, adv);
      expect(r.drift).toBe(0);
      expect(r.active).toBe(false);
      expect(r.dLogRatio).toBeCloseTo(-adv, 12);
    }
  });

  it('is never negative, and zero where the ratio moved against the advantage', () => {
    for (let ratio = 0.05; ratio < 6; ratio *= 1.17) {
      for (let adv = -3; adv <= 3; adv += 0.25) {
        const r = evaluate(ratio, adv);
        expect(r.drift).toBeGreaterThanOrEqual(-1e-12);
        if ((ratio - 1) * adv < 0) expect(r.drift).toBeCloseTo(0, 12);
      }
    }
  });

  it('takes the hand-computed values', () => {
    // Â = 1, ρ = 3: x = 2, drift = 2 - 2·tanh(1).
    expect(evaluate(3, 1).drift).toBeCloseTo(0.4768116880884703, 12);
    // Â = -1, ρ = 1/2: x = log(1/2)·(-1) = ln 2, drift = ln 2 - 0.6·tanh(ln 2 / 0.6).
    expect(evaluate(0.5, -1).drift).toBeCloseTo(0.20145660369376672, 12);
    expect(evaluate(0.5, 1).drift).toBe(0);
    expect(evaluate(2, -1).drift).toBe(0);
  });

  it('has the derivative in log ρ that finite differences give', () => {
    const uniform = seededUniform(4);
    for (let k = 0; k < 200; k++) {
      const logRatio = (uniform() * 2 - 1) * 1.5,
        adv = (uniform() * 2 - 1) * 3;
      const loss = (lr: number) => {
        const out: PolicyTermResult = { loss: 0, dLogRatio: 0, active: false };
        term(Math.exp(lr), lr, adv, out);
        return out;
      };
      const h = 1e-6;
      const numeric = (loss(logRatio + h).loss - loss(logRatio - h).loss) / (2 * h);
      expect(loss(logRatio).dLogRatio).toBeCloseTo(numeric, 6);
    }
  });
});

describe('DPO loss gradients', () => {
  for (const [name, space] of [
    ['Gaussian', uniformBox(2, -1, 1)],
    ['categorical', discrete(3)],
  ] as const) {
    it(`match finite differences (${name} policy)`, async () => {
      const agent = await syntheticAgent({ seed: 7, actionSpace: space, actorScale: 30 });
      const batch = syntheticBatch(agent, 7, 8, 2);
      const m = 16,
        uniform = seededUniform(8);
      const mb: Minibatch = {
        obs: batch.obs,
        actions: batch.actions,
        // Old log-probs away from the current ones, so ratios differ from 1 both ways.
        logProbs: batch.logProbs.map((lp) => lp + (uniform() * 2 - 1) * 0.5),
        values: batch.values.map((v) => v + (uniform() * 2 - 1) * 0.4),
        advantages: batch.advantages,
        returns: batch.returns,
      };
      const grads: LossGradients = { dLogProbs: new Float32Array(m), dEntropies: new Float32Array(m), dValues: new Float32Array(m) };
      const hp = dpoHparams.parse({ ent_coef: 0.05, vf_coef: 0.7 });
      const loss = () => {
        const t = ppoLoss(agent.evaluate(mb.obs, mb.actions, m), mb, m, hp, dpoObjective(hp.dpo_alpha, hp.dpo_beta), grads);
        return t.policyLoss - hp.ent_coef * t.entropy + hp.vf_coef * t.valueLoss;
      };
      const terms = ppoLoss(agent.evaluate(mb.obs, mb.actions, m), mb, m, hp, dpoObjective(hp.dpo_alpha, hp.dpo_beta), grads);
      expect(terms.activeFraction).toBeGreaterThan(0);
      expect(terms.activeFraction).toBeLessThan(1);
      agent.zeroGrads();
      agent.backward(grads.dLogProbs, grads.dEntropies, grads.dValues, m);
      expect(expectGradientsMatch(agent.paramGroups(), loss)).toBeGreaterThan(40);
    });
  }
});

describe('dpo algorithm', () => {
  it('declares LPO defaults on top of PPO and rejects unknown keys', () => {
    const hp = dpoHparams.parse({});
    expect(hp.dpo_alpha).toBe(2);
    expect(hp.dpo_beta).toBe(0.6);
    expect(hp.update_epochs).toBe(10);
    expect(() => dpoHparams.parse({ dpo_gamma: 1 })).toThrow();
  });

  it('updates the networks and reports the drifting fraction', async () => {
    const agent = await syntheticAgent({ seed: 2 });
    const before = snapshotParams(agent);
    const algo = dpo.create(agent, dpoHparams.parse({ num_minibatches: 4, update_epochs: 3 }), Rng.fromSeed(1));
    const stats = algo.update(syntheticBatch(agent, 2), { update: 1, totalUpdates: 1, learningRate: 1e-3 });
    expect(stats.drift_fraction).toBeGreaterThan(0);
    expect(stats.clip_fraction).toBeUndefined();
    expect(stats.epochs).toBe(3);
    expect(snapshotParams(agent)).not.toEqual(before);
  });
});

describe('dpo on Pendulum-v1', () => {
  it('improves in a short seeded run', async () => {
    await expectLearns({ algo: 'dpo', hparams: { num_envs: 4, num_steps: 512, gamma: 0.9, learning_rate: 1e-3 }, totalSteps: 30_720, seed: 1, margin: 150 });
  });
});
