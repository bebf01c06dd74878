/**
 * DDPG's and TD3's actor: μ(s) = bias + scale · tanh(MLP(s)), a deterministic action inside the Box
 * (CleanRL's Actor). Exploration noise is the algorithm's business.
 */
import type { BoxSpace } from '../../sim/index.ts';
import type { Activation, Mlp } from '../rl/nn/mlp.ts';
import type { NnBackend } from '../rl/nn/backend.ts';
import type { DeterministicPolicy } from './policy.ts';
import { tanhBox, type TanhBox } from './tanh-box.ts';

export interface OffPolicyActorSpec {
  obsSize: number;
  actionSpace: BoxSpace;
  hiddenSizes: number[];
  activation: Activation;
}

export class DeterministicActor implements DeterministicPolicy {
  readonly net: Mlp;
  readonly actionSize: number;
  readonly box: TanhBox;
  /** [B, A] the last forward's tanh outputs and actions, and backward's dLoss/dPreactivation. */
  private squashed = new Float32Array(0);
  private actions = new Float32Array(0);
  private dPre = new Float32Array(0);
  private batch = 0;

  constructor(spec: OffPolicyActorSpec, backend: NnBackend, uniform: () => number) {
    this.box = tanhBox(spec.actionSpace);
    this.actionSize = spec.actionSpace.size;
    this.net = backend.createMlp(
      {
        inputSize: spec.obsSize,
        hiddenSizes: spec.hiddenSizes,
        outputSize: this.actionSize,
        activation: spec.activation,
        hiddenGain: Math.SQRT2,
        outputGain: 0.01,
      },
      uniform,
    );
  }

  /** obs [B, obsSize] -> μ(s) [B, A]; valid until the next forward, which backward follows. */
  forward(obs: Float32Array, batch: number): Float32Array {
    const pre = this.net.forward(obs, batch);
    const a = this.actionSize,
      n = batch * a;
    if (this.actions.length < n) {
      this.squashed = new Float32Array(n);
      this.actions = new Float32Array(n);
      this.dPre = new Float32Array(n);
    }
    const { scale, bias } = this.box;
    for (let i = 0; i < n; i++) {
      const y = Math.tanh(pre[i]);
      this.squashed[i] = y;
      this.actions[i] = bias[i % a] + scale[i % a] * y;
    }
    this.batch = batch;
    return this.actions.subarray(0, n);
  }

  /** dLoss/dμ [B, A] of the last forward -> adds dLoss/dParams into net.grads. */
  backward(dActions: Float32Array): void {
    const a = this.actionSize,
      n = this.batch * a;
    for (let i = 0; i < n; i++) this.dPre[i] = dActions[i] * this.box.scale[i % a] * (1 - this.squashed[i] * this.squashed[i]);
    this.net.backward(this.dPre.subarray(0, n));
  }

  actDeterministic(obs: Float32Array, batch: number, actions: Float32Array): void {
    actions.set(this.forward(obs, batch));
  }

  dispose(): void {
    this.net.dispose();
  }
}
