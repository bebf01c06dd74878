/** TD3 (and the learner it shares with DDPG): CleanRL's defaults, target policy smoothing, the actor trained through dQ/da, delayed updates. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/index.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import { seededUniform } from '../rl/numeric.test-support.ts';
import { tanhBox } from '../agent/tanh-box.ts';
import { DeterministicPolicyGradient } from './dpg.ts';
import { ddpgHparams } from './ddpg.ts';
import { smoothTargetActions, td3, td3Hparams } from './td3.ts';
import { expectGradientsMatch } from '../rl/gradient-check.test-support.ts';
import { randomTransitions, tinyEnv, tinyNets } from './off-policy.test-support.ts';
import { expectLearns } from '../trainer/learning-check.test-support.ts';

async function tinyTd3(seed: number, hparams: Record<string, unknown> = {}) {
  const hp = td3Hparams.parse({ ...tinyNets, ...hparams });
  const learner = new DeterministicPolicyGradient(tinyEnv, hp, await selectBackend('fused'), Rng.fromSeed(seed), {
    schema: td3Hparams,
    critics: 2,
    targetActionNoise: smoothTargetActions,
  });
  return learner;
}

describe('td3', () => {
  it("declares CleanRL's td3_continuous_action defaults", () => {
    const hp = td3Hparams.parse({});
    expect([hp.policy_noise, hp.noise_clip, hp.policy_frequency, hp.exploration_noise, hp.tau, hp.batch_size]).toEqual([0.2, 0.5, 2, 0.1, 0.005, 256]);
    expect([hp.buffer_size, hp.learning_starts, hp.policy_arch, hp.q_arch, hp.activation, hp.learning_rate, hp.gamma]).toEqual([
      1_000_000,
      25_000,
      '256,256',
      '256,256',
      'relu',
      3e-4,
      0.99,
    ]);
    expect(td3.kind).toBe('off-policy');
  });

  it('smooths target actions: noise clipped to ±noise_clip before scaling, the result clipped to the Box', () => {
    const box = tanhBox(tinyEnv.actionSpace); // scale [2, 0.5], bias [0, 0.5]
    const normals = [0.5, 3, -4, 1];
    const actions = Float32Array.from([1.9, 0.5, -1.0, 0.95]);
    smoothTargetActions(actions, 2, { policy_noise: 0.2, noise_clip: 0.5 }, box, { normal: () => normals.shift()! });
    // 1.9 + 0.1·2 -> 2.1, clipped to 2; 0.5 + min(0.6, 0.5)·0.5; -1 + max(-0.8, -0.5)·2; 0.95 + 0.2·0.5 -> 1.05, clipped to 1.
    expect(Array.from(actions)).toEqual([2, 0.75, -2, 1]);
  });

  for (const [name, critics] of [
    ['DDPG, one critic', 1],
    ['TD3, twin critics', 2],
  ] as const) {
    it(`backpropagates dQ1/da into the actor: gradients match finite differences (${name})`, async () => {
      const hp = ddpgHparams.parse(tinyNets);
      const learner = new DeterministicPolicyGradient(tinyEnv, hp, await selectBackend('fused'), Rng.fromSeed(3), { schema: ddpgHparams, critics });
      // Larger actor weights than the 0.01 output gain, so the actions spread over the Box.
      learner.policy.net.params.forEach((v, i, a) => (a[i] = v * 30));
      const { obs } = randomTransitions(16, seededUniform(4));
      const loss = () => {
        const q = learner.critics.online[0].forward(obs, learner.policy.forward(obs, 16), 16);
        return -q.reduce((sum, v) => sum + v, 0) / 16;
      };
      const reported = learner.actorLossGradient(obs, 16);
      expect(reported).toBeCloseTo(loss(), 5);
      expectGradientsMatch(learner.policy.net, loss, { relTol: 0.03 });
    });
  }

  it('updates the actor and the targets only every policy_frequency critic steps', async () => {
    const learner = await tinyTd3(5, { policy_frequency: 3 });
    const batch = randomTransitions(32, seededUniform(6));
    const actor = () => Array.from(learner.policy.net.params);
    const targets = () => Array.from(learner.critics.targets[1].net.params);
    const [actor0, targets0] = [actor(), targets()];
    const critic0 = Array.from(learner.critics.online[1].net.params);
    const first = learner.train(batch);
    expect(Array.from(learner.critics.online[1].net.params)).not.toEqual(critic0);
    learner.train(batch);
    expect([actor(), targets()]).toEqual([actor0, targets0]);
    expect(first.actor_loss).toBeUndefined();
    const third = learner.train(batch);
    expect(third.actor_loss).toBeTypeOf('number');
    expect(actor()).not.toEqual(actor0);
    expect(targets()).not.toEqual(targets0);
    expect(Object.keys(third).sort()).toEqual(['actor_loss', 'qf1_loss', 'qf1_values', 'qf2_loss', 'qf2_values', 'qf_loss']);
  });

  it('explores around μ(s) with Gaussian noise of scale · exploration_noise, inside the Box', async () => {
    const learner = await tinyTd3(7, { exploration_noise: 0.5 });
    const n = 4000,
      obs = new Float32Array(n * 3).fill(0.3);
    const actions = new Float32Array(n * 2);
    learner.explore(obs, n, actions);
    const mu = learner.policy.forward(obs, 1).slice();
    for (let k = 0; k < 2; k++) {
      const values = Array.from({ length: n }, (_, i) => actions[i * 2 + k]);
      expect(Math.min(...values)).toBeGreaterThanOrEqual(tinyEnv.actionSpace.low[k]);
      expect(Math.max(...values)).toBeLessThanOrEqual(tinyEnv.actionSpace.high[k]);
      if (k === 0) {
        // Scale 2, noise std 1, around μ ≈ 0: little clipping at ±2.
        const mean = values.reduce((a, v) => a + v, 0) / n;
        const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
        expect(mean).toBeCloseTo(mu[0], 1);
        expect(std).toBeGreaterThan(0.85);
        expect(std).toBeLessThan(1.0);
      }
    }
  });
});

describe('td3 on Pendulum-v1', () => {
  it('improves in a short seeded run', async () => {
    // Sized to take seconds: small nets and batches, an early start, faster targets (the preset trains longer).
    const hparams = {
      learning_starts: 500,
      batch_size: 64,
      policy_arch: '64,64',
      q_arch: '64,64',
      learning_rate: 1e-3,
      gamma: 0.98,
      tau: 0.02,
      log_every: 500,
    };
    await expectLearns({ algo: 'td3', hparams, totalSteps: 3500, seed: 1, margin: 400 });
  });
});
