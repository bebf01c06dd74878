/**
 * Q(s, a): an MLP on the concatenated [observation, action] (CleanRL's QNetwork / SoftQNetwork).
 * Besides the usual parameter gradients it gives dQ/da, through which DDPG, TD3 and SAC train
 * their actors.
 */
import type { Activation, Mlp } from '../rl/nn/mlp.ts';
import type { NnBackend } from '../rl/nn/backend.ts';

export interface QNetworkSpec {
  obsSize: number;
  actionSize: number;
  hiddenSizes: number[];
  activation: Activation;
}

export class QNetwork {
  readonly net: Mlp;
  /** [B, obsSize + actionSize] the last forward's input, and its gradient. */
  private input = new Float32Array(0);
  private dInput = new Float32Array(0);

  constructor(
    readonly spec: QNetworkSpec,
    backend: NnBackend,
    uniform: () => number,
  ) {
    const { obsSize, actionSize, hiddenSizes, activation } = spec;
    this.net = backend.createMlp({ inputSize: obsSize + actionSize, hiddenSizes, outputSize: 1, activation, hiddenGain: Math.SQRT2, outputGain: 1 }, uniform);
  }

  /** obs [B, obsSize], actions [B, actionSize] -> Q [B]; valid until the next forward. */
  forward(obs: Float32Array, actions: Float32Array, batch: number): Float32Array {
    const { obsSize, actionSize } = this.spec,
      width = obsSize + actionSize;
    if (this.input.length < batch * width) {
      this.input = new Float32Array(batch * width);
      this.dInput = new Float32Array(batch * width);
    }
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < obsSize; k++) this.input[b * width + k] = obs[b * obsSize + k];
      for (let k = 0; k < actionSize; k++) this.input[b * width + obsSize + k] = actions[b * actionSize + k];
    }
    return this.net.forward(this.input, batch);
  }

  /** dLoss/dQ [B] of the last forward -> adds dLoss/dParams into net.grads. */
  backward(dQ: Float32Array): void {
    this.net.backward(dQ);
  }

  /** dLoss/dQ [B] of the last forward -> dLoss/da [B, actionSize], written into `dActions`; net.grads untouched. */
  actionGradient(dQ: Float32Array, batch: number, dActions: Float32Array): void {
    const { obsSize, actionSize } = this.spec,
      width = obsSize + actionSize;
    this.net.inputGradient(dQ, this.dInput);
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < actionSize; k++) dActions[b * actionSize + k] = this.dInput[b * width + obsSize + k];
    }
  }

  dispose(): void {
    this.net.dispose();
  }
}
