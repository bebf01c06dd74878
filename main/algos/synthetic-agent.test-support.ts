/**
 * Test helpers for the algorithms: a small seeded agent, and a synthetic rollout batch collected by
 * that agent (so the batch's log-probs and values are exactly what the current policy gives, as
 * after a real rollout).
 */
import { ActorCritic } from '../agent/actor-critic.ts';
import { selectBackend, type BackendRequest } from '../rl/nn/backend.ts';
import { Rng, uniformBox, type Space } from '../../sim/index.ts';
import type { RolloutBatch } from './algorithm.ts';
import { randomArray, seededUniform } from '../rl/numeric.test-support.ts';

export interface SyntheticOptions {
  seed: number;
  actionSpace?: Space;
  obsSize?: number;
  numSteps?: number;
  numEnvs?: number;
  backend?: BackendRequest;
  policyArch?: number[];
  logStdInit?: number;
  /** Multiplies the actor's initial weights (CleanRL's 0.01 output gain makes every policy nearly flat). */
  actorScale?: number;
}

export async function syntheticAgent(options: SyntheticOptions): Promise<ActorCritic> {
  const uniform = seededUniform(options.seed);
  const backend = await selectBackend(options.backend ?? 'fused');
  const agent = new ActorCritic(
    {
      obsSize: options.obsSize ?? 3,
      actionSpace: options.actionSpace ?? uniformBox(2, -1, 1),
      policyArch: options.policyArch ?? [8, 8],
      valueArch: [8, 8],
      activation: 'tanh',
      logStdInit: options.logStdInit ?? -0.3,
    },
    backend,
    uniform,
  );
  const scale = options.actorScale ?? 1;
  if (scale !== 1) {
    agent.actor.params.forEach((v, i, a) => (a[i] = v * scale));
    agent.paramsChanged();
  }
  return agent;
}

/**
 * A rollout of numSteps x numEnvs rows whose actions, log-probs and values come from `agent`
 * acting on random observations; rewards and advantages are random, returns = advantages + values.
 */
export function syntheticBatch(agent: ActorCritic, seed: number, numSteps = 32, numEnvs = 2): RolloutBatch {
  const uniform = seededUniform(seed + 1000);
  const rows = numSteps * numEnvs,
    obsSize = agent.spec.obsSize;
  const obs = randomArray(rows * obsSize, uniform, 2);
  const actions = new Float32Array(rows * agent.actionSize);
  const logProbs = new Float32Array(rows),
    values = new Float32Array(rows);
  agent.act(obs, rows, Rng.fromSeed(seed + 2000), actions, logProbs, values);
  const advantages = randomArray(rows, uniform, 1.5);
  return {
    numSteps,
    numEnvs,
    obs,
    actions,
    logProbs,
    values,
    rewards: randomArray(rows, uniform),
    advantages,
    returns: Float32Array.from(advantages, (a, i) => a + values[i]),
  };
}

/** The agent's trainable arrays, copied (to compare before and after an update). */
export function snapshotParams(agent: ActorCritic): Float32Array[] {
  return agent.paramGroups().map((g) => g.params.slice());
}
