/**
 * The on-policy agent: a policy network (Gaussian mean with a state-independent log-std for Box
 * actions, logits for Discrete ones) and a separate value network, as in CleanRL's continuous PPO.
 * Parameters are flat Float32Arrays shared with the optimizer; the engine (fused or tfjs) only
 * does the network maths.
 */
import type { Space } from '../../sim/index.ts';
import type { Rng } from '../../sim/index.ts';
import type { Mlp, MlpSpec, Activation } from '../rl/nn/mlp.ts';
import type { NnBackend } from '../rl/nn/backend.ts';
import * as gaussian from '../rl/distributions/diag-gaussian.ts';
import * as categorical from '../rl/distributions/categorical.ts';

export interface ActorCriticSpec {
  obsSize: number;
  actionSpace: Space;
  policyArch: number[];
  valueArch: number[];
  activation: Activation;
  logStdInit: number;
}

export interface Evaluation {
  logProbs: Float32Array;
  entropies: Float32Array;
  values: Float32Array;
  /** [B, headSize] the policy head (Gaussian means or logits); valid until the actor's next forward. */
  heads: Float32Array;
}

/**
 * Adds dLoss/dHead [B, headSize] and dLoss/dLogStd [A] of loss terms that read the distribution
 * itself (a KL to another policy, say) into the buffers backward is accumulating.
 */
export type PolicyHeadGradients = (dHead: Float32Array, dLogStd: Float32Array) => void;

export interface ParamGroup {
  name: string;
  params: Float32Array;
  grads: Float32Array;
}

export class ActorCritic {
  readonly actor: Mlp;
  readonly critic: Mlp;
  /** [A] state-independent log-std (Box actions only; empty for Discrete). */
  readonly logStd: Float32Array;
  readonly logStdGrad: Float32Array;
  readonly discrete: boolean;
  /** Length of one action vector sent to the env (Discrete: 1). */
  readonly actionSize: number;
  /** Width of the policy head (Box: A means; Discrete: n logits). */
  readonly headSize: number;
  private evaluation: Evaluation = { logProbs: new Float32Array(0), entropies: new Float32Array(0), values: new Float32Array(0), heads: new Float32Array(0) };
  private dHead: Float32Array = new Float32Array(0);
  private lastHead: Float32Array = new Float32Array(0);
  private lastActions: Float32Array | null = null;
  private lastBatch = 0;

  constructor(
    readonly spec: ActorCriticSpec,
    backend: NnBackend,
    uniform: () => number,
  ) {
    this.discrete = spec.actionSpace.kind === 'discrete';
    this.headSize = spec.actionSpace.kind === 'discrete' ? spec.actionSpace.n : spec.actionSpace.size;
    this.actionSize = this.discrete ? 1 : this.headSize;
    const actorSpec: MlpSpec = {
      inputSize: spec.obsSize,
      hiddenSizes: spec.policyArch,
      outputSize: this.headSize,
      activation: spec.activation,
      hiddenGain: Math.SQRT2,
      outputGain: 0.01,
    };
    const criticSpec: MlpSpec = { ...actorSpec, hiddenSizes: spec.valueArch, outputSize: 1, outputGain: 1 };
    this.actor = backend.createMlp(actorSpec, uniform);
    this.critic = backend.createMlp(criticSpec, uniform);
    this.logStd = new Float32Array(this.discrete ? 0 : this.headSize).fill(spec.logStdInit);
    this.logStdGrad = new Float32Array(this.logStd.length);
  }

  paramGroups(): ParamGroup[] {
    const groups: ParamGroup[] = [
      { name: 'actor', params: this.actor.params, grads: this.actor.grads },
      { name: 'critic', params: this.critic.params, grads: this.critic.grads },
    ];
    if (!this.discrete) groups.push({ name: 'log_std', params: this.logStd, grads: this.logStdGrad });
    return groups;
  }

  zeroGrads(): void {
    this.actor.zeroGrads();
    this.critic.zeroGrads();
    this.logStdGrad.fill(0);
  }

  /** After the optimizer wrote new parameters. */
  paramsChanged(): void {
    this.actor.paramsChanged();
    this.critic.paramsChanged();
  }

  /**
   * Samples actions for a batch of observations.
   * obs [B, obsSize] -> actions [B, actionSize] (unclipped), logProbs [B], values [B].
   */
  act(obs: Float32Array, batch: number, rng: Rng, actions: Float32Array, logProbs: Float32Array, values: Float32Array): void {
    const head = this.actor.forward(obs, batch);
    if (this.discrete) {
      categorical.sample(head, batch, this.headSize, () => rng.uniform(), actions);
      categorical.logProb(head, batch, this.headSize, actions, logProbs);
    } else {
      gaussian.sample(head, this.logStd, batch, () => rng.normal(), actions);
      gaussian.logProb(head, this.logStd, actions, batch, logProbs);
    }
    values.set(this.critic.forward(obs, batch).subarray(0, batch));
  }

  /** The deterministic policy used for evaluation: the Gaussian mean, or the arg-max logit. */
  actDeterministic(obs: Float32Array, batch: number, actions: Float32Array): void {
    const head = this.actor.forward(obs, batch);
    if (!this.discrete) {
      actions.set(head.subarray(0, batch * this.headSize));
      return;
    }
    for (let b = 0; b < batch; b++) {
      let best = 0;
      for (let k = 1; k < this.headSize; k++) if (head[b * this.headSize + k] > head[b * this.headSize + best]) best = k;
      actions[b] = best;
    }
  }

  /** obs [B, obsSize] -> values [B]. */
  values(obs: Float32Array, batch: number, out: Float32Array): void {
    out.set(this.critic.forward(obs, batch).subarray(0, batch));
  }

  /**
   * Re-evaluates stored transitions under the current parameters, keeping what backward needs.
   * obs [B, obsSize], actions [B, actionSize] -> logProbs [B], entropies [B], values [B].
   * The returned arrays are reused by the next call.
   */
  evaluate(obs: Float32Array, actions: Float32Array, batch: number): Evaluation {
    this.ensureBatch(batch);
    const { logProbs, entropies, values } = this.evaluation;
    const head = this.actor.forward(obs, batch);
    this.lastHead = head;
    this.evaluation.heads = head;
    this.lastActions = actions;
    this.lastBatch = batch;
    if (this.discrete) {
      categorical.logProb(head, batch, this.headSize, actions, logProbs);
      categorical.entropy(head, batch, this.headSize, entropies);
    } else {
      gaussian.logProb(head, this.logStd, actions, batch, logProbs);
      entropies.fill(gaussian.entropy(this.logStd), 0, batch);
    }
    values.set(this.critic.forward(obs, batch).subarray(0, batch));
    return this.evaluation;
  }

  /**
   * Backpropagates per-sample loss gradients of the last evaluate() into the parameter gradients
   * (added; call zeroGrads() first). dLogProbs, dEntropies, dValues: [B]. `addHeadGradients`, when
   * given, adds the gradients of terms that read the policy head directly (see PolicyHeadGradients).
   */
  backward(dLogProbs: Float32Array, dEntropies: Float32Array, dValues: Float32Array, batch: number, addHeadGradients?: PolicyHeadGradients): void {
    if (batch !== this.lastBatch || !this.lastActions) throw new Error('ActorCritic.backward must follow evaluate() of the same batch');
    const head = this.lastHead;
    const dHead = this.dHead.subarray(0, batch * this.headSize);
    dHead.fill(0);
    if (this.discrete) {
      categorical.logProbBackward(head, batch, this.headSize, this.lastActions, dLogProbs, dHead);
      categorical.entropyBackward(head, batch, this.headSize, dEntropies, dHead);
    } else {
      gaussian.logProbBackward(head, this.logStd, this.lastActions, batch, dLogProbs, dHead, this.logStdGrad);
      let dEntropy = 0;
      for (let i = 0; i < batch; i++) dEntropy += dEntropies[i];
      gaussian.entropyBackward(dEntropy, this.logStdGrad);
    }
    addHeadGradients?.(dHead, this.logStdGrad);
    this.actor.backward(dHead);
    this.critic.backward(dValues.subarray(0, batch));
  }

  private ensureBatch(batch: number): void {
    if (this.evaluation.logProbs.length >= batch) return;
    this.evaluation = { logProbs: new Float32Array(batch), entropies: new Float32Array(batch), values: new Float32Array(batch), heads: this.evaluation.heads };
    this.dHead = new Float32Array(batch * this.headSize);
  }

  /** Named parameter arrays for checkpoints. */
  exportParams(): Record<string, Float32Array> {
    return Object.fromEntries(this.paramGroups().map((g) => [`params/${g.name}`, g.params]));
  }

  importParams(arrays: Record<string, Float32Array | Float64Array>): void {
    for (const group of this.paramGroups()) {
      const saved = arrays[`params/${group.name}`];
      if (!saved || saved.length !== group.params.length) {
        throw new Error(
          `checkpoint has no matching "params/${group.name}" (expected ${group.params.length} values, found ${saved?.length ?? 'none'}): was it written for another network shape?`,
        );
      }
      group.params.set(saved);
    }
    this.paramsChanged();
  }

  dispose(): void {
    this.actor.dispose();
    this.critic.dispose();
  }
}
