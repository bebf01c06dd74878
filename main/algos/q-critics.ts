/**
 * The critics of DDPG (one) and of TD3 and SAC (two: clipped double Q, Fujimoto et al. 2018):
 * online Q-networks, their polyak-averaged targets, and one Adam over all the online critics
 * (CleanRL's q_optimizer). Losses are CleanRL's: Σ_i MSE(Q_i(s, a), y) for the Bellman targets y.
 */
import { Adam } from '../rl/adam.ts';
import type { Mlp } from '../rl/nn/mlp.ts';
import type { NnBackend } from '../rl/nn/backend.ts';
import { QNetwork, type QNetworkSpec } from '../agent/q-network.ts';
import type { TransitionBatch, UpdateStats } from './algorithm.ts';
import { polyakUpdate } from './polyak.ts';

/** Which critic an actor is trained through: the first (DDPG, TD3) or the smaller of all (SAC). */
export type CriticChoice = 'first' | 'min';

/** y_b = r_b + γ (1 - terminated_b) next_b, in place over `next` [B] (the next state's value). */
export function bellmanTargets(batch: TransitionBatch, gamma: number, next: Float32Array): void {
  for (let b = 0; b < batch.size; b++) next[b] = batch.rewards[b] + gamma * (1 - batch.terminated[b]) * next[b];
}

export class QCritics {
  readonly online: QNetwork[];
  readonly targets: QNetwork[];
  /** One Adam over every online critic (CleanRL's q_optimizer). */
  readonly optimizer: Adam;
  private dQ = new Float32Array(0);
  private dActionsOne = new Float32Array(0);
  private minQ = new Float32Array(0);
  private argMin = new Uint8Array(0);

  /** Each target starts as a copy of its online critic. */
  constructor(count: number, spec: QNetworkSpec, backend: NnBackend, uniform: () => number) {
    this.online = Array.from({ length: count }, () => new QNetwork(spec, backend, uniform));
    this.targets = Array.from({ length: count }, () => new QNetwork(spec, backend, uniform));
    this.targets.forEach((target, i) => polyakUpdate(target.net, this.online[i].net, 1));
    this.optimizer = new Adam(
      this.online.map((q) => q.net.params.length),
      { eps: 1e-8 },
    );
  }

  /** out [B] = min_i Q'_i(nextObs, nextActions) over the target critics. */
  targetMin(nextObs: Float32Array, nextActions: Float32Array, batch: number, out: Float32Array): void {
    this.targets.forEach((target, i) => {
      const q = target.forward(nextObs, nextActions, batch);
      for (let b = 0; b < batch; b++) out[b] = i === 0 ? q[b] : Math.min(out[b], q[b]);
    });
  }

  /** One Adam step on Σ_i mean_b (Q_i(s_b, a_b) - y_b)²; returns CleanRL's qf<i>_values, qf<i>_loss and qf_loss (their mean). */
  fit(batch: TransitionBatch, targets: Float32Array, learningRate: number): UpdateStats {
    const n = batch.size;
    this.ensureBatch(n, batch.actions.length / n);
    const stats: UpdateStats = {};
    let lossSum = 0;
    this.online.forEach((critic, i) => {
      const q = critic.forward(batch.obs, batch.actions, n);
      let loss = 0,
        mean = 0;
      for (let b = 0; b < n; b++) {
        const error = q[b] - targets[b];
        loss += error * error;
        mean += q[b];
        this.dQ[b] = (2 * error) / n;
      }
      critic.net.zeroGrads();
      critic.backward(this.dQ.subarray(0, n));
      stats[`qf${i + 1}_values`] = mean / n;
      stats[`qf${i + 1}_loss`] = loss / n;
      lossSum += loss / n;
    });
    this.optimizer.step(
      this.online.map((q) => q.net.params),
      this.online.map((q) => q.net.grads),
      learningRate,
    );
    for (const critic of this.online) critic.net.paramsChanged();
    stats.qf_loss = lossSum / this.online.length;
    return stats;
  }

  /**
   * For an actor loss -mean_b Q(s_b, a_b), Q the chosen critic (per sample, for 'min'): writes
   * dLoss/da [B, A] into dActions and returns mean_b Q. Critic gradients are untouched.
   */
  actionGradient(obs: Float32Array, actions: Float32Array, batch: number, choice: CriticChoice, dActions: Float32Array): number {
    const actionSize = actions.length / batch;
    this.ensureBatch(batch, actionSize);
    const critics = choice === 'first' ? this.online.slice(0, 1) : this.online;
    critics.forEach((critic, i) => {
      const q = critic.forward(obs, actions, batch);
      for (let b = 0; b < batch; b++) {
        if (i === 0 || q[b] < this.minQ[b]) {
          this.minQ[b] = q[b];
          this.argMin[b] = i;
        }
      }
    });
    let meanQ = 0;
    for (let b = 0; b < batch; b++) meanQ += this.minQ[b] / batch;
    const n = batch * actionSize;
    dActions.fill(0, 0, n);
    critics.forEach((critic, i) => {
      // Each critic's forward state is still its own: backpropagate only its winning samples.
      for (let b = 0; b < batch; b++) this.dQ[b] = this.argMin[b] === i ? -1 / batch : 0;
      critic.actionGradient(this.dQ.subarray(0, batch), batch, this.dActionsOne);
      for (let j = 0; j < n; j++) dActions[j] += this.dActionsOne[j];
    });
    return meanQ;
  }

  updateTargets(tau: number): void {
    this.targets.forEach((target, i) => polyakUpdate(target.net, this.online[i].net, tau));
  }

  dispose(): void {
    for (const q of [...this.online, ...this.targets]) q.dispose();
  }

  /** Checkpoint names: qf<i> and qf<i>_target. */
  networks(): Record<string, Mlp> {
    return Object.fromEntries(
      this.online.flatMap((q, i) => [
        [`qf${i + 1}`, q.net],
        [`qf${i + 1}_target`, this.targets[i].net],
      ]),
    );
  }

  private ensureBatch(batch: number, actionSize: number): void {
    if (this.dQ.length < batch) {
      this.dQ = new Float32Array(batch);
      this.minQ = new Float32Array(batch);
      this.argMin = new Uint8Array(batch);
    }
    if (this.dActionsOne.length < batch * actionSize) this.dActionsOne = new Float32Array(batch * actionSize);
  }
}
