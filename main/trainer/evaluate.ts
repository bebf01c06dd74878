/**
 * Deterministic evaluation: the policy's mean action (arg-max for Discrete), observations
 * normalized with the training statistics frozen, raw rewards. Gymnasium's time limits apply.
 */
import { makeEnv } from '../../sim/index.ts';
import type { DeterministicPolicy } from '../agent/policy.ts';
import type { NormalizeObservation } from '../../sim/index.ts';

export interface EvaluationResult {
  returns: number[];
  lengths: number[];
  returnMean: number;
  returnStd: number;
  /** Per episode: the mean of `info.xVelocity` over its steps, for envs that report it (robots). */
  forwardVelocities?: number[];
}

export function evaluatePolicy(
  agent: DeterministicPolicy,
  envId: string,
  obsNorm: NormalizeObservation | null,
  episodes: number,
  seed: number,
  /** Sees each step's starting pose and its reward (for recording an episode). */
  onStep?: (frame: Float32Array, reward: number) => void,
): EvaluationResult {
  const env = makeEnv(envId);
  const obs32 = new Float32Array(env.spec.observationSpace.size);
  const action32 = new Float32Array(agent.actionSize);
  const action = new Float64Array(agent.actionSize);
  const space = env.spec.actionSpace;
  const returns: number[] = [];
  const lengths: number[] = [];
  const forwardVelocities: number[] = [];
  for (let episode = 0; episode < episodes; episode++) {
    let { obs } = env.reset({ seed: seed + episode });
    let total = 0,
      length = 0,
      velocitySum = 0,
      reportsVelocity = false;
    for (;;) {
      obs32.set(obsNorm ? obsNorm.normalize(obs) : obs);
      agent.actDeterministic(obs32, 1, action32);
      for (let k = 0; k < action.length; k++) {
        action[k] = space.kind === 'box' ? Math.min(Math.max(action32[k], space.low[k]), space.high[k]) : action32[k];
      }
      const frame = onStep ? env.frame() : null;
      const result = env.step(action);
      if (frame) onStep?.(frame, result.reward);
      total += result.reward;
      length++;
      if (typeof result.info.xVelocity === 'number') {
        velocitySum += result.info.xVelocity;
        reportsVelocity = true;
      }
      obs = result.obs;
      if (result.terminated || result.truncated) break;
    }
    returns.push(total);
    lengths.push(length);
    if (reportsVelocity) forwardVelocities.push(velocitySum / length);
  }
  env.close();
  const mean = returns.reduce((a, b) => a + b, 0) / episodes;
  const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / episodes);
  const result: EvaluationResult = { returns, lengths, returnMean: mean, returnStd: std };
  if (forwardVelocities.length === episodes) result.forwardVelocities = forwardVelocities;
  return result;
}
