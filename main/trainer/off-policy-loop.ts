/**
 * The off-policy iteration (CleanRL's DDPG/TD3/SAC main loop), log_every env steps long. Per vector step:
 *   act: uniformly random inside the Box for the first learning_starts env steps, then the
 *        algorithm's exploration (noisy μ(s), or a sample of SAC's policy);
 *   store (s, a, r, s', terminated) in the replay buffer, s' the real next observation (the
 *        episode's final one where it ended), terminated without time-limit truncation;
 *   train: once learning_starts steps are stored, one gradient step on a seeded uniform sample.
 * The row's losses are means over the iteration's gradient steps.
 */
import type { BoxSpace, Rng } from '../../sim/index.ts';
import type { OffPolicyAlgorithm, OffPolicyDefinition, TransitionBatch, UpdateStats } from '../algos/algorithm.ts';
import { prefixKeys } from '../algos/learner-state.ts';
import { partState } from '../algos/optimizer-step.ts';
import { ReplayBuffer } from '../algos/replay-buffer.ts';
import { offPolicyIterationSteps } from '../config/update-budget.ts';
import type { DeterministicPolicy } from '../agent/policy.ts';
import type { EnvStack } from './env-stack.ts';
import type { StepObserver } from './rollout.ts';
import { buildOffPolicyStack } from './run-parts.ts';
import type { IterationResult, LoopOptions, LoopState, TrainingLoop } from './training-loop.ts';

/** The hyperparameters every off-policy run reads outside the algorithm (offPolicyCommon). */
export interface OffPolicyLoopHparams {
  num_envs: number;
  buffer_size: number;
  learning_starts: number;
  batch_size: number;
  log_every: number;
}

export class OffPolicyLoop implements TrainingLoop {
  readonly stepsPerIteration: number;
  readonly buffer: ReplayBuffer;
  private readonly sample: TransitionBatch;
  private readonly obs32: Float32Array;
  private readonly nextObs32: Float32Array;
  private readonly actions32: Float32Array;
  private readonly envActions: Float64Array;
  /** The observation the next step acts on. */
  private obs: Float64Array;
  /** Env steps taken (all envs): random actions until learning_starts. */
  private envSteps = 0;

  private constructor(
    readonly stack: EnvStack,
    private readonly algorithm: OffPolicyAlgorithm,
    private readonly rng: Rng,
    private readonly hp: OffPolicyLoopHparams,
    private readonly space: BoxSpace,
    initialObs: Float64Array,
  ) {
    const env = stack.env,
      n = env.numEnvs;
    this.stepsPerIteration = offPolicyIterationSteps(hp);
    this.buffer = new ReplayBuffer(hp.buffer_size, env.obsSize, env.actionSize);
    this.sample = {
      size: hp.batch_size,
      obs: new Float32Array(hp.batch_size * env.obsSize),
      actions: new Float32Array(hp.batch_size * env.actionSize),
      rewards: new Float32Array(hp.batch_size),
      nextObs: new Float32Array(hp.batch_size * env.obsSize),
      terminated: new Float32Array(hp.batch_size),
    };
    this.obs32 = new Float32Array(n * env.obsSize);
    this.nextObs32 = new Float32Array(n * env.obsSize);
    this.actions32 = new Float32Array(n * env.actionSize);
    this.envActions = new Float64Array(n * env.actionSize);
    this.obs = initialObs;
  }

  static create(definition: OffPolicyDefinition, { envId, hparams, backend, rng, seed, workers }: LoopOptions): OffPolicyLoop {
    const hp = hparams as unknown as OffPolicyLoopHparams;
    const stack = buildOffPolicyStack(envId, hp.num_envs, { workers });
    const space = stack.env.spec.actionSpace;
    if (space.kind !== 'box') throw new Error(`${definition.id} needs a Box action space; ${envId} has discrete actions`);
    const algorithm = definition.create({ obsSize: stack.env.obsSize, actionSpace: space }, hparams, backend, rng);
    return new OffPolicyLoop(stack, algorithm, rng, hp, space, stack.env.reset(seed));
  }

  get policy(): DeterministicPolicy {
    return this.algorithm.policy;
  }

  iterate(_iteration: number, _total: number, observe?: StepObserver): IterationResult {
    const env = this.stack.env,
      n = env.numEnvs;
    const episodes: IterationResult['episodes'] = [];
    const losses = new StatsMean();
    let actSeconds = 0,
      envSeconds = 0,
      trainSeconds = 0;
    for (let t = 0; t < this.stepsPerIteration / n; t++) {
      const t0 = performance.now();
      this.obs32.set(this.obs);
      if (this.envSteps < this.hp.learning_starts) this.randomActions(n);
      else this.algorithm.explore(this.obs32, n, this.actions32);
      this.envActions.set(this.actions32);
      const t1 = performance.now();
      const result = env.step(this.envActions);
      const t2 = performance.now();
      this.nextObs32.set(result.obs);
      result.finalObs.forEach((finalObs, e) => finalObs && this.nextObs32.set(finalObs, e * env.obsSize));
      this.buffer.add(this.obs32, this.nextObs32, this.actions32, result.rewards, result.terminated, n);
      if (result.episodes.length > 0) episodes.push(...result.episodes);
      observe?.(result);
      this.obs = result.obs;
      this.envSteps += n;
      const t3 = performance.now();
      if (this.envSteps >= this.hp.learning_starts) {
        this.buffer.sample(this.rng, this.sample);
        losses.add(this.algorithm.train(this.sample));
      }
      actSeconds += (t1 - t0 + t3 - t2) / 1000;
      envSeconds += (t2 - t1) / 1000;
      trainSeconds += (performance.now() - t3) / 1000;
    }
    return {
      episodes,
      stats: { ...losses.means(), replay_size: this.buffer.size, time_env_s: envSeconds, time_act_s: actSeconds, time_train_s: trainSeconds },
    };
  }

  setHparams(values: Record<string, unknown>): void {
    this.algorithm.setHparams(values);
  }

  /** The algorithm's networks and optimizers, the replay buffer under replay/, and where the envs are. */
  saveState(): LoopState {
    const learner = this.algorithm.saveState();
    const replay = this.buffer.saveState(this.stack.env.numEnvs);
    return {
      scalars: { ...learner.scalars, ...prefixKeys('replay/', replay.scalars), env_steps: this.envSteps },
      arrays: { ...learner.arrays, ...prefixKeys('replay/', replay.arrays), 'rollout/obs': Float32Array.from(this.obs) },
    };
  }

  loadState(state: Parameters<TrainingLoop['loadState']>[0]): void {
    this.algorithm.loadState(state);
    this.buffer.loadState(partState(state, 'replay'));
    this.envSteps = state.scalars.env_steps;
    this.obs = Float64Array.from(state.arrays['rollout/obs']);
  }

  dispose(): void {
    this.stack.env.close();
    this.algorithm.dispose();
  }

  /** CleanRL's warm-up: each action uniform on [low, high]. */
  private randomActions(n: number): void {
    const { low, high, size } = this.space;
    for (let i = 0; i < n * size; i++) this.actions32[i] = this.rng.uniformRange(low[i % size], high[i % size]);
  }
}

/** Per key, the mean over the gradient steps that reported it (the actor reports only on its delayed steps). */
class StatsMean {
  private readonly sums = new Map<string, number>();
  private readonly counts = new Map<string, number>();

  add(stats: UpdateStats): void {
    for (const [key, value] of Object.entries(stats)) {
      this.sums.set(key, (this.sums.get(key) ?? 0) + value);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  means(): Record<string, number> {
    return Object.fromEntries([...this.sums].map(([key, sum]) => [key, sum / this.counts.get(key)!]));
  }
}
