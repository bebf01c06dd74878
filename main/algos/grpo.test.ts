/** GRPO: rollouts start each group from one copied state, and the critic-free update learns Pendulum. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/index.ts';
import { ActorCritic } from '../agent/actor-critic.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import { buildEnvStack } from '../trainer/env-stack.ts';
import { RolloutCollector } from '../trainer/rollout.ts';
import { grpo, grpoHparams } from './grpo.ts';
import { expectLearns } from '../trainer/learning-check.test-support.ts';
import { initPhysics } from '../../sim/robots/physics.ts';

async function groupRollout(envId: string) {
  await initPhysics();
  const stack = buildEnvStack({ envId, numEnvs: 4, normObs: true, normReward: true, clipObs: 10, clipReward: 10, gamma: 0.99 });
  const rng = Rng.fromSeed(3);
  const agent = new ActorCritic(
    { obsSize: stack.env.obsSize, actionSpace: stack.env.spec.actionSpace, policyArch: [16], valueArch: [16], activation: 'tanh', logStdInit: 0 },
    await selectBackend('fused'),
    () => rng.uniform(),
  );
  const hp = grpoHparams.parse({ num_envs: 4, group_size: 2 });
  const collector = new RolloutCollector(stack.env, agent, rng, 8, stack.env.reset(3), grpo.advantageEstimator?.(hp));
  const rows = (t: number) =>
    Array.from({ length: 4 }, (_, e) => Array.from(collector.batch.obs.subarray((t * 4 + e) * stack.env.obsSize, (t * 4 + e + 1) * stack.env.obsSize)));
  return { collector, rows, close: () => stack.env.close() };
}

describe('GRPO rollouts', () => {
  it.each(['Pendulum-v1', 'Hopper-v0'])('start every group of %s from one state, then diverge under independent noise', async (envId) => {
    const { collector, rows, close } = await groupRollout(envId);
    for (let rollout = 0; rollout < 2; rollout++) {
      collector.collect(0.99, 0.95);
      const [a, b, c, d] = rows(0);
      expect(b).toEqual(a);
      expect(d).toEqual(c);
      expect(c).not.toEqual(a);
      const [a1, b1] = rows(1);
      expect(b1).not.toEqual(a1);
    }
    close();
  });

  it('refuses a group size that does not divide num_envs', () => {
    expect(grpoHparams.safeParse({ num_envs: 6, group_size: 4 }).success).toBe(false);
  });
});

describe('GRPO learning', () => {
  it('improves on Pendulum-v1 without a critic', async () => {
    await expectLearns({
      algo: 'grpo',
      hparams: { num_envs: 8, group_size: 8, num_steps: 32, num_minibatches: 2, update_epochs: 5, gamma: 0.9, learning_rate: 1e-3 },
      totalSteps: 48_000,
      seed: 1,
      margin: 150,
    });
  });
});
