/**
 * The tfjs engine: the same MLP as tfjs ops on whichever tfjs backend is active (tensorflow,
 * tensorflow-gpu, wasm, cpu; see backend.ts). The TypeScript-side `params` stay the source of truth:
 * they are uploaded on construction and on `paramsChanged`, and gradients are read back into `grads`.
 * Backward is tfjs autodiff, so this engine is also the independent check of the fused engine's
 * hand-written backprop.
 */
// Functional ops only (tf.reshape(x), not x.reshape()): tfjs-core alone registers no chained ops.
import * as tf from '@tensorflow/tfjs-core';
import type { DenseLayer, Mlp, MlpSpec } from './mlp.ts';
import { checkBackwardArgs, checkForwardArgs, checkInputGradientArgs, checkJvpArgs, denseLayers } from './mlp.ts';

/**
 * tfjs-core alone registers no gradients (the @tensorflow/tfjs bundle does, and its ESM-only
 * register_all_gradients cannot load in Node), so autodiff needs the ones this model's ops use:
 * tfjs's own definitions, registered only where nothing (e.g. tfjs-node's bundle) registered them.
 */
const modelGradients: tf.GradConfig[] = [
  { kernelName: tf.Tanh, outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(tf.sub(1, tf.square(y)), dy as tf.Tensor) }) },
  { kernelName: tf.Relu, inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.step(x)) }) },
  { kernelName: tf.Reshape, inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.reshape(dy as tf.Tensor, x.shape) }) },
];
for (const config of modelGradients) if (!tf.getGradient(config.kernelName)) tf.registerGradient(config);

export class TfjsMlp implements Mlp {
  readonly grads: Float32Array;
  private readonly layers: DenseLayer[];
  /** [W0, b0, W1, b1, ...] on the backend, in the flat layout's order. */
  private weights: tf.Tensor[] = [];
  /** The last forward's input [B, in]: backward recomputes the forward under autodiff. */
  private input = new Float32Array(0);
  private output = new Float32Array(0);
  private jvpOutput = new Float32Array(0);
  private capacity = 0;
  private batch = 0;

  /** `params` is adopted, not copied: the optimizer updates it in place, then calls paramsChanged. */
  constructor(
    readonly spec: MlpSpec,
    readonly params: Float32Array,
  ) {
    this.grads = new Float32Array(params.length);
    this.layers = denseLayers(spec);
    this.paramsChanged();
  }

  forward(input: Float32Array, batch: number): Float32Array {
    checkForwardArgs(this.spec, input, batch);
    const { inputSize, outputSize } = this.spec;
    if (batch > this.capacity) {
      this.input = new Float32Array(batch * inputSize);
      this.output = new Float32Array(batch * outputSize);
      this.capacity = batch;
    }
    this.input.set(input.subarray(0, batch * inputSize));
    this.batch = batch;
    const result = tf.tidy(() => this.model(this.inputTensor(), this.weights));
    try {
      this.output.set(result.dataSync());
    } finally {
      result.dispose();
    }
    return this.output.subarray(0, batch * outputSize);
  }

  backward(dOutput: Float32Array): void {
    checkBackwardArgs(this.spec, this.batch, dOutput);
    const { outputSize } = this.spec;
    const flatGrads = tf.tidy(() => {
      const x = this.inputTensor();
      const dy = tf.tensor2d(dOutput.subarray(0, this.batch * outputSize), [this.batch, outputSize]);
      // The vector-Jacobian product with dy is the gradient of sum(output ⊙ dOutput).
      const gradients = tf.grads((...weights: tf.Tensor[]) => this.model(x, weights))(this.weights, dy);
      return tf.concat(gradients.map((g) => tf.reshape(g, [-1])));
    });
    try {
      const values = flatGrads.dataSync();
      for (let i = 0; i < values.length; i++) this.grads[i] += values[i];
    } finally {
      flatGrads.dispose();
    }
  }

  inputGradient(dOutput: Float32Array, dInput: Float32Array): void {
    checkInputGradientArgs(this.spec, this.batch, dOutput, dInput);
    const { inputSize, outputSize } = this.spec;
    const gradient = tf.tidy(() => {
      const dy = tf.tensor2d(dOutput.subarray(0, this.batch * outputSize), [this.batch, outputSize]);
      return tf.grad((x: tf.Tensor) => this.model(x as tf.Tensor2D, this.weights))(this.inputTensor(), dy);
    });
    try {
      dInput.set(gradient.dataSync().subarray(0, this.batch * inputSize));
    } finally {
      gradient.dispose();
    }
  }

  /**
   * Forward mode written out in tfjs ops (exact, no double-backward): the pre-activation tangent
   * dz = x·dW + db + t·W per layer, then t' = act'(z) ⊙ dz; t is 0 at the input.
   */
  jvp(tangent: Float32Array): Float32Array {
    checkJvpArgs(this.batch, tangent, this.params.length);
    const { outputSize } = this.spec;
    const result = tf.tidy(() => {
      const dWeights = this.splitLayers(tf.tensor1d(tangent.slice()));
      let h: tf.Tensor2D = this.inputTensor();
      let t: tf.Tensor2D | null = null;
      const last = this.layers.length - 1;
      for (let l = 0; l <= last; l++) {
        const w = this.weights[2 * l] as tf.Tensor2D;
        let dz = tf.fused.matMul({ a: h, b: dWeights[2 * l] as tf.Tensor2D, bias: dWeights[2 * l + 1] }) as tf.Tensor2D;
        if (t) dz = tf.add(dz, tf.matMul(t, w));
        if (l === last) return dz;
        const z = tf.fused.matMul({ a: h, b: w, bias: this.weights[2 * l + 1] }) as tf.Tensor2D;
        if (this.spec.activation === 'tanh') {
          h = tf.tanh(z);
          t = tf.mul(tf.sub(1, tf.square(h)), dz) as tf.Tensor2D;
        } else {
          h = tf.relu(z);
          t = tf.mul(tf.step(z), dz) as tf.Tensor2D;
        }
      }
      throw new Error('unreachable: an MLP has an output layer');
    });
    try {
      if (this.jvpOutput.length < this.capacity * outputSize) this.jvpOutput = new Float32Array(this.capacity * outputSize);
      this.jvpOutput.set(result.dataSync());
    } finally {
      result.dispose();
    }
    return this.jvpOutput.subarray(0, this.batch * outputSize);
  }

  zeroGrads(): void {
    this.grads.fill(0);
  }

  /** One upload of all parameters, sliced per layer on the backend. */
  paramsChanged(): void {
    // A copy: the cpu backend would otherwise alias `params` and hide a missing paramsChanged call.
    const uploaded = tf.tidy(() => this.splitLayers(tf.tensor1d(this.params.slice())));
    tf.dispose(this.weights);
    this.weights = uploaded;
  }

  /** A flat [P] vector in the params layout -> [W0, b0, W1, b1, ...] tensors. */
  private splitLayers(flat: tf.Tensor1D): tf.Tensor[] {
    return this.layers.flatMap((layer) => [
      tf.reshape(tf.slice(flat, layer.weightOffset, layer.inSize * layer.outSize), [layer.inSize, layer.outSize]),
      tf.slice(flat, layer.biasOffset, layer.outSize),
    ]);
  }

  dispose(): void {
    tf.dispose(this.weights);
    this.weights = [];
  }

  private inputTensor(): tf.Tensor2D {
    return tf.tensor2d(this.input.subarray(0, this.batch * this.spec.inputSize), [this.batch, this.spec.inputSize]);
  }

  /** x [B, in] -> [B, out]; weights as in `this.weights`. */
  private model(x: tf.Tensor2D, weights: tf.Tensor[]): tf.Tensor2D {
    let h = x;
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      h = tf.fused.matMul({ a: h, b: weights[2 * l] as tf.Tensor2D, bias: weights[2 * l + 1] }) as tf.Tensor2D;
      if (l < last) h = this.spec.activation === 'tanh' ? tf.tanh(h) : tf.relu(h);
    }
    return h;
  }
}
