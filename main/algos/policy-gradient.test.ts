/** REINFORCE's and A2C's shared loss: its gradient against finite differences. */
import { describe, expect, it } from 'vitest';
import { uniformBox, discrete } from '../../sim/core/spaces.ts';
import { policyGradientLoss } from './policy-gradient.ts';
import type { LossGradients } from './minibatch.ts';
import { syntheticAgent, syntheticBatch } from './synthetic-agent.test-support.ts';
import { expectGradientsMatch } from '../rl/gradient-check.test-support.ts';

describe('policyGradientLoss', () => {
  for (const [name, space] of [
    ['Gaussian', uniformBox(2, -1, 1)],
    ['categorical', discrete(3)],
  ] as const) {
    it(`has the gradient finite differences give (${name})`, async () => {
      const agent = await syntheticAgent({ seed: 13, actionSpace: space, actorScale: 20 });
      const batch = syntheticBatch(agent, 13, 8, 2);
      const m = 16,
        hp = { ent_coef: 0.03, vf_coef: 0.7 };
      const grads: LossGradients = { dLogProbs: new Float32Array(m), dEntropies: new Float32Array(m), dValues: new Float32Array(m) };
      const loss = () => {
        const t = policyGradientLoss(agent.evaluate(batch.obs, batch.actions, m), batch.advantages, batch.returns, m, hp, grads);
        return t.policyLoss - hp.ent_coef * t.entropy + hp.vf_coef * t.valueLoss;
      };
      const terms = policyGradientLoss(agent.evaluate(batch.obs, batch.actions, m), batch.advantages, batch.returns, m, hp, grads);
      // At collection time the policy's log-probs are the batch's: the loss is -mean(A · logπ_old) by hand.
      expect(terms.policyLoss).toBeCloseTo(-batch.advantages.reduce((s, a, i) => s + a * batch.logProbs[i], 0) / m, 5);
      agent.zeroGrads();
      agent.backward(grads.dLogProbs, grads.dEntropies, grads.dValues, m);
      expect(expectGradientsMatch(agent.paramGroups(), loss)).toBeGreaterThan(40);
    });
  }
});
