/**
 * The deterministic policy-gradient learner DDPG and TD3 share (CleanRL's ddpg/td3_continuous_action):
 * per replay sample
 *   y = r + γ (1 - terminated) min_i Q'_i(s', a'),  a' = μ'(s') (TD3: smoothed, see td3.ts),
 *   one Adam step of the critics on Σ_i MSE(Q_i(s, a), y),
 * and every policy_frequency steps one Adam step of the actor on -mean Q_1(s, μ(s)) (dQ/da
 * backpropagated into μ), then polyak updates of the target actor and critics.
 * Exploration: μ(s) + N(0, (scale · exploration_noise)²), clipped to the Box.
 */
import type { Rng } from '../../sim/index.ts';
import type { z } from 'zod';
import { DeterministicActor } from '../agent/deterministic-actor.ts';
import type { TanhBox } from '../agent/tanh-box.ts';
import { Adam } from '../rl/adam.ts';
import type { NnBackend } from '../rl/nn/backend.ts';
import type { OffPolicyAlgorithm, OffPolicyEnvSpec, TransitionBatch, UpdateStats } from './algorithm.ts';
import { parseNetArch } from './hparams.ts';
import { polyakUpdate } from './polyak.ts';
import { bellmanTargets, QCritics } from './q-critics.ts';
import { loadLearner, saveLearner, type SavedLearnerState } from './learner-state.ts';

/** The hyperparameters the learner reads (offPolicyCommon plus DDPG's). */
export interface DpgHparams {
  gamma: number;
  tau: number;
  policy_frequency: number;
  policy_arch: string;
  q_arch: string;
  activation: 'relu' | 'tanh';
  learning_rate: number;
  exploration_noise: number;
}

/** Perturbs the target actor's actions a' [B, A] in place before the targets read them (TD3's smoothing). */
export type TargetActionNoise<H> = (nextActions: Float32Array, batch: number, hp: H, box: TanhBox, rng: Rng) => void;

export interface DpgSpec<H extends DpgHparams> {
  schema: z.ZodType<H>;
  /** 1: DDPG; 2: TD3's clipped double Q. */
  critics: number;
  targetActionNoise?: TargetActionNoise<H>;
}

export class DeterministicPolicyGradient<H extends DpgHparams> implements OffPolicyAlgorithm {
  readonly policy: DeterministicActor;
  private readonly targetActor: DeterministicActor;
  readonly critics: QCritics;
  private readonly actorOptimizer: Adam;
  /** Critic gradient steps taken: the delayed actor updates count these. */
  private steps = 0;
  private nextActions = new Float32Array(0);
  private targets = new Float32Array(0);
  private dActions = new Float32Array(0);

  constructor(
    env: OffPolicyEnvSpec,
    private hp: H,
    backend: NnBackend,
    private readonly rng: Rng,
    private readonly spec: DpgSpec<H>,
  ) {
    const uniform = () => rng.uniform();
    const actorSpec = { obsSize: env.obsSize, actionSpace: env.actionSpace, hiddenSizes: parseNetArch(hp.policy_arch), activation: hp.activation };
    this.policy = new DeterministicActor(actorSpec, backend, uniform);
    this.targetActor = new DeterministicActor(actorSpec, backend, uniform);
    polyakUpdate(this.targetActor.net, this.policy.net, 1);
    const qSpec = { obsSize: env.obsSize, actionSize: env.actionSpace.size, hiddenSizes: parseNetArch(hp.q_arch), activation: hp.activation };
    this.critics = new QCritics(spec.critics, qSpec, backend, uniform);
    this.actorOptimizer = new Adam([this.policy.net.params.length], { eps: 1e-8 });
  }

  setHparams(values: Record<string, unknown>): void {
    this.hp = this.spec.schema.parse({ ...this.hp, ...values });
  }

  explore(obs: Float32Array, n: number, actions: Float32Array): void {
    const mu = this.policy.forward(obs, n);
    const a = this.policy.actionSize,
      { scale, bias } = this.policy.box;
    for (let i = 0; i < n * a; i++) {
      const k = i % a;
      const noisy = mu[i] + scale[k] * this.hp.exploration_noise * this.rng.normal();
      actions[i] = Math.min(Math.max(noisy, bias[k] - scale[k]), bias[k] + scale[k]);
    }
  }

  train(batch: TransitionBatch): UpdateStats {
    const hp = this.hp,
      n = batch.size;
    this.ensureBatch(n);
    this.steps++;
    this.nextActions.set(this.targetActor.forward(batch.nextObs, n));
    this.spec.targetActionNoise?.(this.nextActions, n, hp, this.targetActor.box, this.rng);
    this.critics.targetMin(batch.nextObs, this.nextActions, n, this.targets);
    bellmanTargets(batch, hp.gamma, this.targets);
    const stats = this.critics.fit(batch, this.targets, hp.learning_rate);
    if (this.steps % hp.policy_frequency === 0) {
      stats.actor_loss = this.actorStep(batch.obs, n);
      polyakUpdate(this.targetActor.net, this.policy.net, hp.tau);
      this.critics.updateTargets(hp.tau);
    }
    return stats;
  }

  /**
   * Accumulates dLoss/dθ of the actor loss -mean_b Q_1(s_b, μ(s_b)) into policy.net.grads (zeroed
   * first): dQ/da from the critic, backpropagated through μ. Returns the loss.
   */
  actorLossGradient(obs: Float32Array, batch: number): number {
    this.ensureBatch(batch);
    const actions = this.policy.forward(obs, batch);
    const meanQ = this.critics.actionGradient(obs, actions, batch, 'first', this.dActions);
    this.policy.net.zeroGrads();
    this.policy.backward(this.dActions);
    return -meanQ;
  }

  saveState() {
    return saveLearner(this.networks(), this.optimizers(), { steps: this.steps });
  }

  loadState(state: SavedLearnerState): void {
    loadLearner(state, this.networks(), this.optimizers());
    this.steps = state.scalars.steps;
  }

  dispose(): void {
    this.policy.dispose();
    this.targetActor.dispose();
    this.critics.dispose();
  }

  private actorStep(obs: Float32Array, batch: number): number {
    const loss = this.actorLossGradient(obs, batch);
    this.actorOptimizer.step([this.policy.net.params], [this.policy.net.grads], this.hp.learning_rate);
    this.policy.net.paramsChanged();
    return loss;
  }

  private networks() {
    return { actor: this.policy.net, actor_target: this.targetActor.net, ...this.critics.networks() };
  }

  private optimizers() {
    return { actor: this.actorOptimizer, q: this.critics.optimizer };
  }

  private ensureBatch(batch: number): void {
    const n = batch * this.policy.actionSize;
    if (this.nextActions.length >= n) return;
    this.nextActions = new Float32Array(n);
    this.dActions = new Float32Array(n);
    this.targets = new Float32Array(batch);
  }
}
