/** The env stack a run trains on: worker threads change where the envs run, never what they do. */
import { describe, expect, it } from 'vitest';
import { initPhysics, Rng } from '../../sim/index.ts';
import { ActorCritic } from '../agent/actor-critic.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import { buildEnvStack } from './env-stack.ts';
import { RolloutCollector } from './rollout.ts';

/** Two rollouts of a small policy on a normalized Hopper stack; everything they produce, as plain data. */
async function rollouts(workers: number) {
  await initPhysics();
  const stack = buildEnvStack({ envId: 'Hopper-v0', numEnvs: 4, workers, normObs: true, normReward: true, clipObs: 10, clipReward: 10, gamma: 0.99 });
  const rng = Rng.fromSeed(5);
  const agent = new ActorCritic(
    { obsSize: stack.env.obsSize, actionSpace: stack.env.spec.actionSpace, policyArch: [16], valueArch: [16], activation: 'tanh', logStdInit: 0 },
    await selectBackend('fused'),
    () => rng.uniform(),
  );
  const collector = new RolloutCollector(stack.env, agent, rng, 64, stack.env.reset(5));
  const episodes = [collector.collect(0.99, 0.95), collector.collect(0.99, 0.95)];
  const { batch } = collector;
  const result = {
    episodes,
    batch: [batch.obs, batch.actions, batch.rewards, batch.advantages, batch.returns].map((a) => Array.from(a)),
    obsStats: stack.obsNorm!.getStats(),
    rewardStats: stack.rewardNorm!.getStats(),
    envState: stack.env.saveState(),
  };
  stack.env.close();
  return result;
}

describe('buildEnvStack', () => {
  it('trains on worker threads exactly as in the trainer thread: same rollouts, statistics and env state', async () => {
    const inThread = await rollouts(0);
    expect(inThread.episodes.flat().length).toBeGreaterThan(0);
    expect(await rollouts(2)).toEqual(inThread);
  });
});
