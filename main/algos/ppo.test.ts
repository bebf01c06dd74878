/** PPO's hand-written loss gradients agree with finite differences of the loss itself. */
import { describe, expect, it } from 'vitest';
import { ActorCritic } from '../agent/actor-critic.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import { uniformBox, discrete } from '../../sim/core/spaces.ts';
import type { Space } from '../../sim/core/spaces.ts';
import { clippedSurrogate, ppoHparams, ppoLoss } from './ppo.ts';
import type { LossGradients, Minibatch } from './minibatch.ts';
import { expectGradientsMatch } from '../rl/gradient-check.test-support.ts';
import { seededUniform } from '../rl/numeric.test-support.ts';

async function setup(actionSpace: Space, seed: number) {
  const uniform = seededUniform(seed);
  const backend = await selectBackend('fused');
  const agent = new ActorCritic({ obsSize: 3, actionSpace, policyArch: [8, 8], valueArch: [8, 8], activation: 'tanh', logStdInit: -0.3 }, backend, uniform);
  // Larger output weights than the 0.01 init so ratios move noticeably under perturbation.
  agent.actor.params.forEach((v, i, a) => (a[i] = v * 30));
  agent.paramsChanged();
  const m = 16;
  const rand = (n: number, scale = 1) => Float32Array.from({ length: n }, () => (uniform() * 2 - 1) * scale);
  const actions = actionSpace.kind === 'box' ? rand(m * actionSpace.size) : Float32Array.from({ length: m }, () => Math.floor(uniform() * actionSpace.n));
  const obs = rand(m * 3, 2);
  const now = agent.evaluate(obs, actions, m);
  const mb: Minibatch = {
    obs,
    actions,
    // Old log-probs and values near the current ones: some ratios inside the clip range, some outside.
    logProbs: Float32Array.from(now.logProbs, (lp) => lp + (uniform() * 2 - 1) * 0.4),
    values: Float32Array.from(now.values, (v) => v + (uniform() * 2 - 1) * 0.4),
    advantages: rand(m),
    returns: rand(m),
  };
  const grads: LossGradients = { dLogProbs: new Float32Array(m), dEntropies: new Float32Array(m), dValues: new Float32Array(m) };
  const hp = ppoHparams.parse({ ent_coef: 0.05, vf_coef: 0.7, clip_coef: 0.2, clip_vloss: true });
  const loss = () => {
    const t = ppoLoss(agent.evaluate(mb.obs, mb.actions, m), mb, m, hp, clippedSurrogate(hp.clip_coef), grads);
    return t.policyLoss - hp.ent_coef * t.entropy + hp.vf_coef * t.valueLoss;
  };
  return { agent, mb, m, grads, loss };
}

describe('ppoLoss gradients', () => {
  for (const [name, space] of [
    ['Gaussian', uniformBox(2, -1, 1)],
    ['categorical', discrete(3)],
  ] as const) {
    it(`match finite differences (${name} policy)`, async () => {
      const { agent, m, grads, loss } = await setup(space, 7);
      loss();
      agent.zeroGrads();
      agent.backward(grads.dLogProbs, grads.dEntropies, grads.dValues, m);
      expect(expectGradientsMatch(agent.paramGroups(), loss)).toBeGreaterThan(40);
    });
  }

  it('passes no policy gradient through clipped samples', async () => {
    const { mb, m, grads, agent } = await setup(uniformBox(1, -1, 1), 3);
    const hp = ppoHparams.parse({ clip_coef: 0.2 });
    const ev = agent.evaluate(mb.obs, mb.actions, m);
    ppoLoss(ev, mb, m, hp, clippedSurrogate(hp.clip_coef), grads);
    for (let i = 0; i < m; i++) {
      const ratio = Math.exp(ev.logProbs[i] - mb.logProbs[i]);
      const adv = mb.advantages[i];
      const clippedAway = (adv > 0 && ratio > 1.2) || (adv < 0 && ratio < 0.8);
      if (clippedAway) expect(grads.dLogProbs[i]).toBe(0);
      else expect(grads.dLogProbs[i]).toBeCloseTo((-adv * ratio) / m, 6);
    }
  });
});
