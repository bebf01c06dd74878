/** DDPG: CleanRL's defaults on the learner it shares with TD3 (dpg.ts, tested in td3.test.ts), and a learning check. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/index.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import { seededUniform } from '../rl/numeric.test-support.ts';
import { ddpg, ddpgHparams } from './ddpg.ts';
import { DeterministicPolicyGradient } from './dpg.ts';
import { randomTransitions, tinyEnv, tinyNets } from './off-policy.test-support.ts';
import { expectLearns } from '../trainer/learning-check.test-support.ts';

describe('ddpg', () => {
  it("declares CleanRL's ddpg_continuous_action defaults", () => {
    const hp = ddpgHparams.parse({});
    expect([hp.learning_rate, hp.buffer_size, hp.gamma, hp.tau, hp.batch_size, hp.exploration_noise, hp.learning_starts, hp.policy_frequency]).toEqual([
      3e-4, 1_000_000, 0.99, 0.005, 256, 0.1, 25_000, 2,
    ]);
    expect(ddpgHparams.safeParse({ policy_noise: 0.2 }).success).toBe(false);
  });

  it("fits its one critic to r + γ (1 - terminated) Q'(s', μ'(s')), the targets starting as copies", async () => {
    const hp = ddpgHparams.parse({ ...tinyNets, gamma: 0.9 });
    const learner = new DeterministicPolicyGradient(tinyEnv, hp, await selectBackend('fused'), Rng.fromSeed(1), { schema: ddpgHparams, critics: 1 });
    const batch = randomTransitions(16, seededUniform(2));
    const critic = learner.critics.online[0];
    const next = critic.forward(batch.nextObs, learner.policy.forward(batch.nextObs, 16), 16).slice();
    const q = critic.forward(batch.obs, batch.actions, 16).slice();
    let expectedLoss = 0;
    for (let b = 0; b < 16; b++) expectedLoss += (q[b] - (batch.rewards[b] + 0.9 * (1 - batch.terminated[b]) * next[b])) ** 2 / 16;
    const stats = learner.train(batch);
    expect(stats.qf1_loss).toBeCloseTo(expectedLoss, 4);
    expect(Object.keys(stats).sort()).toEqual(['qf1_loss', 'qf1_values', 'qf_loss']);
    expect(Object.keys(learner.saveState().arrays).filter((k) => k.startsWith('params/'))).toEqual([
      'params/actor',
      'params/actor_target',
      'params/qf1',
      'params/qf1_target',
    ]);
    expect(ddpg.kind).toBe('off-policy');
  });
});

describe('ddpg on Pendulum-v1', () => {
  it('improves in a short seeded run', async () => {
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
    await expectLearns({ algo: 'ddpg', hparams, totalSteps: 3500, seed: 1, margin: 400 });
  });
});
