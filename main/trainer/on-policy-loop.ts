/** The on-policy iteration: one rollout of num_steps x num_envs transitions, then the algorithm's update on it. */
import type { ActorCritic } from '../agent/actor-critic.ts';
import type { AlgorithmDefinition, OnPolicyAlgorithm } from '../algos/algorithm.ts';
import { prefixKeys } from '../algos/learner-state.ts';
import { partState } from '../algos/optimizer-step.ts';
import { linearAnneal } from '../rl/schedule.ts';
import { rolloutSteps } from '../config/update-budget.ts';
import type { EnvStack } from './env-stack.ts';
import { RolloutCollector, type StepObserver } from './rollout.ts';
import { buildRunParts, type RunHparams } from './run-parts.ts';
import type { IterationResult, LoopOptions, LoopState, TrainingLoop } from './training-loop.ts';

export class OnPolicyLoop implements TrainingLoop {
  readonly stepsPerIteration: number;

  private constructor(
    readonly stack: EnvStack,
    readonly agent: ActorCritic,
    private readonly algorithm: OnPolicyAlgorithm,
    private readonly collector: RolloutCollector,
    private hp: RunHparams,
  ) {
    this.stepsPerIteration = rolloutSteps(hp);
  }

  static create(definition: AlgorithmDefinition, { envId, hparams, backend, rng, seed, workers }: LoopOptions): OnPolicyLoop {
    const hp = hparams as unknown as RunHparams;
    const { stack, agent } = buildRunParts(envId, hp, backend, rng, { workers });
    const algorithm = definition.create(agent, hparams, rng);
    const collector = new RolloutCollector(stack.env, agent, rng, hp.num_steps, stack.env.reset(seed), definition.advantageEstimator?.(hparams));
    return new OnPolicyLoop(stack, agent, algorithm, collector, hp);
  }

  get policy(): ActorCritic {
    return this.agent;
  }

  iterate(iteration: number, total: number, observe?: StepObserver): IterationResult {
    const { hp, collector } = this;
    const learningRate = hp.anneal_lr ? linearAnneal(hp.learning_rate, iteration, total) : hp.learning_rate;
    collector.timings.envSeconds = 0;
    collector.timings.actSeconds = 0;
    const rolloutStart = performance.now();
    const episodes = collector.collect(hp.gamma, hp.gae_lambda, observe);
    const updateStart = performance.now();
    const stats = this.algorithm.update(collector.batch, { update: iteration, totalUpdates: total, learningRate });
    const updateEnd = performance.now();
    return {
      episodes,
      stats: {
        learning_rate: learningRate,
        ...stats,
        time_env_s: collector.timings.envSeconds,
        time_act_s: collector.timings.actSeconds,
        time_update_s: (updateEnd - updateStart) / 1000,
        time_rollout_s: (updateStart - rolloutStart) / 1000,
      },
    };
  }

  setHparams(values: Record<string, unknown>): void {
    this.hp = { ...this.hp, ...values };
    this.algorithm.setHparams(values);
  }

  /** Weights as params/<group>, the algorithm's arrays as optimizer/..., and the observation the next rollout starts from. */
  saveState(): LoopState {
    const optimizer = this.algorithm.saveState();
    return {
      scalars: optimizer.scalars,
      arrays: { ...this.agent.exportParams(), ...prefixKeys('optimizer/', optimizer.arrays), 'rollout/obs': Float32Array.from(this.collector.currentObs) },
    };
  }

  loadState(state: Parameters<TrainingLoop['loadState']>[0]): void {
    this.agent.importParams(state.arrays);
    this.algorithm.loadState({ scalars: state.scalars, arrays: partState(state, 'optimizer').arrays });
    this.collector.restartFrom(Float64Array.from(state.arrays['rollout/obs']));
  }

  dispose(): void {
    this.stack.env.close();
    this.agent.dispose();
  }
}
