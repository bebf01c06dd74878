/**
 * Soft Actor-Critic (Haarnoja et al. 2018) with the details of CleanRL's sac_continuous_action.py:
 * a tanh-squashed Gaussian actor (agent/squashed-gaussian-actor.ts), twin critics with polyak
 * targets, and automatic entropy tuning toward H_target = -dim(A). Per replay sample
 *   y = r + γ (1 - terminated) (min_i Q'_i(s', a') - α log π(a'|s')),  a' ~ π(·|s'),
 *   one Adam step (q_lr) of the critics on Σ_i MSE(Q_i(s, a), y);
 * every policy_frequency steps, policy_frequency times over (making up for the delay):
 *   one Adam step (policy_lr) of the actor on mean(α log π(ã|s) - min_i Q_i(s, ã)), ã ~ π(·|s)
 *   reparameterized, then one Adam step (q_lr) of log α on fresh samples (entropy-temperature.ts);
 * and every target_network_frequency steps polyak updates of the target critics.
 * Tuned settings live in assets/presets/sac/.
 */
import { z } from 'zod';
import type { Rng } from '../../sim/index.ts';
import { SquashedGaussianActor } from '../agent/squashed-gaussian-actor.ts';
import { Adam } from '../rl/adam.ts';
import type { NnBackend } from '../rl/nn/backend.ts';
import type { OffPolicyAlgorithm, OffPolicyDefinition, OffPolicyEnvSpec, TransitionBatch, UpdateStats } from './algorithm.ts';
import { flag, integer, offPolicyCommon, parseNetArch, real } from './hparams.ts';
import { EntropyTemperature } from './entropy-temperature.ts';
import { loadLearner, saveLearner, type SavedLearnerState } from './learner-state.ts';
import { bellmanTargets, QCritics } from './q-critics.ts';

export const sacHparams = z
  .object({
    ...offPolicyCommon,
    learning_starts: integer(5000, 'Env steps of uniformly random actions before the first gradient step', { min: 0 }),
    policy_lr: real(3e-4, 'Adam learning rate of the actor', { gt: 0, max: 1, live: true }),
    q_lr: real(1e-3, 'Adam learning rate of the critics and of the entropy temperature', { gt: 0, max: 1, live: true }),
    target_network_frequency: integer(1, 'Critic gradient steps per target-critic update', { min: 1, max: 1000, live: true }),
    autotune: flag(true, 'Tune the entropy temperature toward a target entropy of -dim(A)'),
    alpha: real(0.2, 'Entropy temperature when autotune is off', { min: 0, max: 100, live: true }),
  })
  .strict();
export type SacHparams = z.infer<typeof sacHparams>;

export class Sac implements OffPolicyAlgorithm {
  readonly policy: SquashedGaussianActor;
  readonly critics: QCritics;
  readonly temperature: EntropyTemperature;
  private readonly actorOptimizer: Adam;
  private readonly normal: () => number;
  /** Critic gradient steps taken: the delayed updates count these. */
  private steps = 0;
  private targets = new Float32Array(0);
  private dActions = new Float32Array(0);
  private dLogProbs = new Float32Array(0);

  constructor(
    env: OffPolicyEnvSpec,
    private hp: SacHparams,
    backend: NnBackend,
    rng: Rng,
  ) {
    const uniform = () => rng.uniform();
    this.normal = () => rng.normal();
    this.policy = new SquashedGaussianActor(
      { obsSize: env.obsSize, actionSpace: env.actionSpace, hiddenSizes: parseNetArch(hp.policy_arch), activation: hp.activation },
      backend,
      uniform,
    );
    const qSpec = { obsSize: env.obsSize, actionSize: env.actionSpace.size, hiddenSizes: parseNetArch(hp.q_arch), activation: hp.activation };
    this.critics = new QCritics(2, qSpec, backend, uniform);
    this.temperature = new EntropyTemperature(-env.actionSpace.size);
    this.actorOptimizer = new Adam([this.policy.net.params.length], { eps: 1e-8 });
  }

  /** The temperature in use: tuned, or the fixed hyperparameter. */
  get alpha(): number {
    return this.hp.autotune ? this.temperature.alpha : this.hp.alpha;
  }

  setHparams(values: Record<string, unknown>): void {
    this.hp = sacHparams.parse({ ...this.hp, ...values });
  }

  explore(obs: Float32Array, n: number, actions: Float32Array): void {
    actions.set(this.policy.sample(obs, n, this.normal).actions);
  }

  train(batch: TransitionBatch): UpdateStats {
    const hp = this.hp,
      n = batch.size;
    this.ensureBatch(n);
    this.steps++;
    const next = this.policy.sample(batch.nextObs, n, this.normal);
    this.critics.targetMin(batch.nextObs, next.actions, n, this.targets);
    for (let b = 0; b < n; b++) this.targets[b] -= this.alpha * next.logProbs[b];
    bellmanTargets(batch, hp.gamma, this.targets);
    const stats = this.critics.fit(batch, this.targets, hp.q_lr);
    if (this.steps % hp.policy_frequency === 0) {
      for (let repeat = 0; repeat < hp.policy_frequency; repeat++) {
        stats.actor_loss = this.actorLossGradient(batch.obs, n, this.normal);
        this.actorOptimizer.step([this.policy.net.params], [this.policy.net.grads], hp.policy_lr);
        this.policy.net.paramsChanged();
        if (hp.autotune) {
          const fresh = this.policy.sample(batch.obs, n, this.normal);
          stats.alpha_loss = this.temperature.update(fresh.logProbs, n, hp.q_lr);
        }
      }
    }
    if (this.steps % hp.target_network_frequency === 0) this.critics.updateTargets(hp.tau);
    stats.alpha = this.alpha;
    return stats;
  }

  /**
   * Accumulates dLoss/dθ of the actor loss mean_b(α log π(ã_b|s_b) - min_i Q_i(s_b, ã_b)) into
   * policy.net.grads (zeroed first), ã reparameterized with ε from `normal`. Returns the loss.
   */
  actorLossGradient(obs: Float32Array, batch: number, normal: () => number): number {
    this.ensureBatch(batch);
    const alpha = this.alpha;
    const { actions, logProbs } = this.policy.sample(obs, batch, normal);
    const meanMinQ = this.critics.actionGradient(obs, actions, batch, 'min', this.dActions);
    let meanLogProb = 0;
    for (let b = 0; b < batch; b++) meanLogProb += logProbs[b] / batch;
    this.dLogProbs.fill(alpha / batch, 0, batch);
    this.policy.net.zeroGrads();
    this.policy.backward(this.dActions, this.dLogProbs);
    return alpha * meanLogProb - meanMinQ;
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
    this.critics.dispose();
  }

  private networks() {
    return { actor: this.policy.net, ...this.critics.networks(), log_alpha: { params: this.temperature.logAlpha } };
  }

  private optimizers() {
    return { actor: this.actorOptimizer, q: this.critics.optimizer, alpha: this.temperature.optimizer };
  }

  private ensureBatch(batch: number): void {
    if (this.targets.length >= batch) return;
    this.targets = new Float32Array(batch);
    this.dActions = new Float32Array(batch * this.policy.actionSize);
    this.dLogProbs = new Float32Array(batch);
  }
}

export const sac: OffPolicyDefinition<typeof sacHparams> = {
  kind: 'off-policy',
  id: 'sac',
  title: 'SAC',
  description: 'Soft Actor-Critic: squashed Gaussian, twin critics, automatic entropy tuning (CleanRL details)',
  hparamsSchema: sacHparams,
  create: (env, hparams, backend, rng) => new Sac(env, hparams, backend, rng),
};
