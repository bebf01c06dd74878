/** SAC: CleanRL's defaults, the soft Bellman target, the actor trained through min(Q1, Q2), temperature tuning, and a learning check. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/index.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import { randomArray, seededUniform } from '../rl/numeric.test-support.ts';
import { Sac, sac, sacHparams } from './sac.ts';
import { expectGradientsMatch } from '../rl/gradient-check.test-support.ts';
import { randomTransitions, tinyEnv, tinyNets } from './off-policy.test-support.ts';
import { expectLearns } from '../trainer/learning-check.test-support.ts';

async function tinySac(seed: number, hparams: Record<string, unknown> = {}) {
  const rng = Rng.fromSeed(seed);
  return { learner: new Sac(tinyEnv, sacHparams.parse({ ...tinyNets, ...hparams }), await selectBackend('fused'), rng), rng };
}

describe('sac', () => {
  it("declares CleanRL's sac_continuous_action defaults", () => {
    const hp = sacHparams.parse({});
    expect([hp.policy_lr, hp.q_lr, hp.policy_frequency, hp.target_network_frequency, hp.autotune, hp.alpha, hp.learning_starts]).toEqual([
      3e-4,
      1e-3,
      2,
      1,
      true,
      0.2,
      5000,
    ]);
    expect([hp.buffer_size, hp.gamma, hp.tau, hp.batch_size, hp.policy_arch, hp.q_arch, hp.activation]).toEqual([
      1_000_000,
      0.99,
      0.005,
      256,
      '256,256',
      '256,256',
      'relu',
    ]);
    expect(sac.kind).toBe('off-policy');
  });

  it("fits both critics to the soft target r + γ (1 - terminated)(min(Q'1, Q'2)(s', a') - α log π(a'|s')), a' ~ π(·|s')", async () => {
    const { learner, rng } = await tinySac(1, { gamma: 0.9 });
    const batch = randomTransitions(16, seededUniform(2));
    // Replay the draws train() will make for a': the same generator state.
    const replay = Rng.fromSeed(0);
    replay.setState(rng.getState());
    const next = learner.policy.sample(batch.nextObs, 16, () => replay.normal());
    const [actions, logProbs] = [next.actions.slice(), next.logProbs.slice()];
    // The targets start as copies of the online critics, and α as 1.
    const [q1, q2] = learner.critics.online;
    const minNext = q1.forward(batch.nextObs, actions, 16).map((v, b) => Math.min(v, q2.forward(batch.nextObs, actions, 16)[b]));
    const y = minNext.map((v, b) => batch.rewards[b] + 0.9 * (1 - batch.terminated[b]) * (v - 1 * logProbs[b]));
    const mse = (q: Float32Array) => q.reduce((sum, v, b) => sum + (v - y[b]) ** 2 / 16, 0);
    const [expected1, expected2] = [mse(q1.forward(batch.obs, batch.actions, 16)), mse(q2.forward(batch.obs, batch.actions, 16))];
    const stats = learner.train(batch);
    expect(stats.qf1_loss).toBeCloseTo(expected1, 4);
    expect(stats.qf2_loss).toBeCloseTo(expected2, 4);
    expect(stats.qf_loss).toBeCloseTo((expected1 + expected2) / 2, 4);
  });

  it('backpropagates through the smaller critic and the log-prob: actor gradients match finite differences', async () => {
    const { learner } = await tinySac(3);
    learner.policy.net.params.forEach((v, i, a) => (a[i] = v * 30));
    // Make the critics disagree, so that each is the smaller one for some samples.
    learner.critics.online[1].net.params.forEach((v, i, a) => (a[i] = v * 1.5));
    const obs = randomArray(16 * 3, seededUniform(4), 2);
    const eps = randomArray(16 * 2, seededUniform(5), 1.5);
    const replayed = () => {
      let i = 0;
      return () => eps[i++];
    };
    // α = 1 (log α = 0) at the start.
    const loss = () => {
      const { actions, logProbs } = learner.policy.sample(obs, 16, replayed());
      const [q1, q2] = learner.critics.online.map((q) => q.forward(obs, actions, 16).slice());
      let sum = 0;
      for (let b = 0; b < 16; b++) sum += (logProbs[b] - Math.min(q1[b], q2[b])) / 16;
      return sum;
    };
    expect(learner.actorLossGradient(obs, 16, replayed())).toBeCloseTo(loss(), 4);
    expectGradientsMatch(learner.policy.net, loss, { perArray: 60, relTol: 0.03 });
  });

  it('makes policy_frequency actor and temperature steps every policy_frequency critic steps', async () => {
    const { learner } = await tinySac(6);
    const batch = randomTransitions(32, seededUniform(7));
    const actor0 = Array.from(learner.policy.net.params);
    const first = learner.train(batch);
    expect(Array.from(learner.policy.net.params)).toEqual(actor0);
    expect([first.actor_loss, first.alpha_loss, first.alpha]).toEqual([undefined, undefined, 1]);
    const second = learner.train(batch);
    expect(second.actor_loss).toBeTypeOf('number');
    expect(second.alpha_loss).toBeTypeOf('number');
    // Two Adam steps of log α, each of about q_lr: α moved by about 2e-3.
    expect(Math.abs(Math.log(second.alpha))).toBeCloseTo(2e-3, 4);
    expect(learner.saveState().scalars['alpha/step']).toBe(2);
    expect(learner.saveState().scalars['actor/step']).toBe(2);
  });

  it('keeps α fixed without autotune, and can change it live', async () => {
    const { learner } = await tinySac(8, { autotune: false, alpha: 0.3 });
    const batch = randomTransitions(32, seededUniform(9));
    learner.train(batch);
    expect(learner.train(batch).alpha).toBe(0.3);
    learner.setHparams({ alpha: 0.05 });
    expect(learner.train(batch).alpha).toBe(0.05);
    expect(learner.train(batch).alpha_loss).toBeUndefined();
  });
});

describe('sac on Pendulum-v1', () => {
  it('improves in a short seeded run', async () => {
    // Sized to take seconds: small nets and batches, an early start, faster targets (the preset trains longer).
    const hparams = { learning_starts: 500, batch_size: 64, policy_arch: '64,64', q_arch: '64,64', policy_lr: 1e-3, gamma: 0.98, tau: 0.02, log_every: 500 };
    await expectLearns({ algo: 'sac', hparams, totalSteps: 3000, seed: 1, margin: 400 });
  });
});
