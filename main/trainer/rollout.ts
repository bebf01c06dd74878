/**
 * Collects one on-policy rollout of numSteps x numEnvs transitions and computes its advantages:
 * GAE from the critic, or group-relative (the envs of a group start from copies of one state).
 * Stores the unclipped sampled action (its log-prob is what the policy gradient needs) and sends
 * the action clipped to the Box to the env. Time-limit truncation bootstraps from V(final obs).
 */
import type { VecEnv, VecStepResult, EpisodeRecord, BoxSpace } from '../../sim/index.ts';
import type { Rng } from '../../sim/index.ts';
import type { ActorCritic } from '../agent/actor-critic.ts';
import type { AdvantageEstimator, RolloutBatch } from '../algos/algorithm.ts';
import { computeGae } from '../rl/gae.ts';
import { computeGroupAdvantages } from '../rl/group-advantages.ts';

export interface RolloutTimings {
  envSeconds: number;
  actSeconds: number;
}

/** Called after every vector step, for recording env 0's episode. */
export type StepObserver = (result: VecStepResult) => void;

export class RolloutCollector {
  readonly batch: RolloutBatch;
  private readonly terminated: Float32Array;
  private readonly episodeEnded: Float32Array;
  private readonly nextValues: Float32Array;
  private readonly envActions: Float64Array;
  private readonly stepLogProbs: Float32Array;
  private readonly stepValues: Float32Array;
  private readonly finalObs32: Float32Array;
  private readonly finalValue = new Float32Array(1);
  private obs: Float64Array;
  readonly timings: RolloutTimings = { envSeconds: 0, actSeconds: 0 };

  constructor(
    private readonly env: VecEnv,
    private readonly agent: ActorCritic,
    private readonly rng: Rng,
    readonly numSteps: number,
    initialObs: Float64Array,
    private readonly estimator: AdvantageEstimator = { kind: 'gae' },
  ) {
    if (estimator.kind === 'group' && (estimator.groupSize < 2 || env.numEnvs % estimator.groupSize !== 0)) {
      throw new Error(`group size ${estimator.groupSize} must be at least 2 and divide num_envs (${env.numEnvs})`);
    }
    const n = env.numEnvs,
      rows = numSteps * n;
    this.batch = {
      numSteps,
      numEnvs: n,
      obs: new Float32Array(rows * env.obsSize),
      actions: new Float32Array(rows * agent.actionSize),
      logProbs: new Float32Array(rows),
      values: new Float32Array(rows),
      rewards: new Float32Array(rows),
      advantages: new Float32Array(rows),
      returns: new Float32Array(rows),
    };
    this.terminated = new Float32Array(rows);
    this.episodeEnded = new Float32Array(rows);
    this.nextValues = new Float32Array(rows);
    this.envActions = new Float64Array(n * env.actionSize);
    this.stepLogProbs = new Float32Array(n);
    this.stepValues = new Float32Array(n);
    this.finalObs32 = new Float32Array(env.obsSize);
    this.obs = initialObs;
  }

  /** Runs numSteps vector steps; returns the episodes that finished meanwhile. */
  collect(gamma: number, gaeLambda: number, observe?: StepObserver): EpisodeRecord[] {
    const { env, agent, batch } = this;
    const n = env.numEnvs,
      obsSize = env.obsSize,
      actSize = agent.actionSize;
    const episodes: EpisodeRecord[] = [];
    const space = env.spec.actionSpace;
    if (this.estimator.kind === 'group') this.startGroupsTogether(this.estimator.groupSize);
    for (let t = 0; t < this.numSteps; t++) {
      const row = t * n;
      const t0 = performance.now();
      const obsRows = batch.obs.subarray(row * obsSize, (row + n) * obsSize);
      obsRows.set(this.obs);
      const actionRows = batch.actions.subarray(row * actSize, (row + n) * actSize);
      agent.act(obsRows, n, this.rng, actionRows, this.stepLogProbs, this.stepValues);
      batch.logProbs.set(this.stepLogProbs, row);
      batch.values.set(this.stepValues, row);
      if (space.kind === 'box') clipToBox(actionRows, space, this.envActions);
      else this.envActions.set(actionRows);
      const t1 = performance.now();
      const result = env.step(this.envActions);
      const t2 = performance.now();
      for (let e = 0; e < n; e++) {
        batch.rewards[row + e] = result.rewards[e];
        this.terminated[row + e] = result.terminated[e];
        const ended = result.terminated[e] || result.truncated[e];
        this.episodeEnded[row + e] = ended ? 1 : 0;
        // Bootstrap a truncated episode from its final observation (not the auto-reset one).
        const finalObs = result.finalObs[e];
        if (result.truncated[e] && !result.terminated[e] && finalObs) {
          this.finalObs32.set(finalObs);
          agent.values(this.finalObs32, 1, this.finalValue);
          this.nextValues[row + e] = this.finalValue[0];
        }
      }
      if (result.episodes.length > 0) episodes.push(...result.episodes);
      observe?.(result);
      this.obs = result.obs;
      const t3 = performance.now();
      this.timings.actSeconds += (t1 - t0 + t3 - t2) / 1000;
      this.timings.envSeconds += (t2 - t1) / 1000;
    }
    if (this.estimator.kind === 'group') {
      computeGroupAdvantages({
        ...this.estimator,
        rewards: batch.rewards,
        episodeEnded: this.episodeEnded,
        numSteps: this.numSteps,
        numEnvs: n,
        gamma,
        advantages: batch.advantages,
        returns: batch.returns,
      });
      return episodes;
    }
    this.fillNextValues();
    computeGae({
      rewards: batch.rewards,
      values: batch.values,
      nextValues: this.nextValues,
      terminated: this.terminated,
      episodeEnded: this.episodeEnded,
      gamma,
      lambda: gaeLambda,
      numSteps: this.numSteps,
      numEnvs: n,
      advantages: batch.advantages,
      returns: batch.returns,
    });
    return episodes;
  }

  /** The observation the next rollout starts from. */
  get currentObs(): Float64Array {
    return this.obs;
  }

  /** After a checkpoint restore: continue from the saved observation. */
  restartFrom(obs: Float64Array): void {
    this.obs = obs;
  }

  /** Every env of a group continues from its first env's state (mid-episode, observation included). */
  private startGroupsTogether(groupSize: number): void {
    const size = this.env.obsSize;
    for (let leader = 0; leader < this.env.numEnvs; leader += groupSize) {
      for (let member = leader + 1; member < leader + groupSize; member++) {
        this.env.copyEnv(leader, member);
        this.obs.copyWithin(member * size, leader * size, (leader + 1) * size);
      }
    }
  }

  /** V(s_{t+1}) for rows whose episode did not end there: the next row's value, or V(last obs). */
  private fillNextValues(): void {
    const n = this.env.numEnvs,
      rows = this.numSteps * n;
    const last = new Float32Array(n);
    const lastObs = Float32Array.from(this.obs);
    this.agent.values(lastObs, n, last);
    for (let r = 0; r < rows; r++) {
      if (this.episodeEnded[r]) continue;
      this.nextValues[r] = r + n < rows ? this.batch.values[r + n] : last[r - (rows - n)];
    }
  }
}

/** actions [N, A] -> clipped copy in out [N, A]. */
function clipToBox(actions: Float32Array, space: BoxSpace, out: Float64Array): void {
  const a = space.size;
  for (let i = 0; i < actions.length; i++) {
    const k = i % a;
    out[i] = Math.min(Math.max(actions[i], space.low[k]), space.high[k]);
  }
}
