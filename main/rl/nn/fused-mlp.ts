/**
 * The fused engine: an MLP evaluated and backpropagated by hand-written kernels straight on the
 * flat Float32Array parameters. No per-op dispatch and no allocation per call (buffers grow to the
 * largest batch seen and are reused), which is what small continuous-control networks need: tfjs
 * spends most of a batch-64 step dispatching ops (see backend.ts for the measurements).
 */
import type { Activation, DenseLayer, Mlp, MlpSpec } from './mlp.ts';
import { checkBackwardArgs, checkForwardArgs, checkInputGradientArgs, checkJvpArgs, denseLayers } from './mlp.ts';
import { addColumnSums, mulReluGrad, mulTanhGrad, reluInPlace, tanhInPlace, typescriptGemm, type Gemm } from './kernels.ts';

interface LayerViews extends DenseLayer {
  weights: Float32Array;
  bias: Float32Array;
  weightGrads: Float32Array;
  biasGrads: Float32Array;
}

export class FusedMlp implements Mlp {
  readonly grads: Float32Array;
  private readonly layers: LayerViews[];
  private readonly activate: (x: Float32Array, count: number) => void;
  private readonly mulActivationGrad: (y: Float32Array, dx: Float32Array, count: number) => void;
  private capacity = 0;
  /** activations[0] is a copy of the input [B, in]; activations[l + 1] the output of layer l [B, out_l]. */
  private activations: Float32Array[] = [];
  /** Two [B, widest hidden] buffers the backward pass alternates between. */
  private deltas: Float32Array[] = [];
  /** Output views by batch size, so forward returns an exact-length array without allocating. */
  private outputViews = new Map<number, Float32Array>();
  /** jvp's buffers, allocated on first use: two [B, widest layer] tangents, a product scratch, a zero bias. */
  private tangents: Float32Array[] = [];
  private jvpScratch = new Float32Array(0);
  private zeroBias = new Float32Array(0);
  private batch = 0;

  /** `params` is adopted, not copied: the optimizer updates it in place. */
  constructor(
    readonly spec: MlpSpec,
    readonly params: Float32Array,
    private readonly gemm: Gemm = typescriptGemm,
  ) {
    this.grads = new Float32Array(params.length);
    this.layers = denseLayers(spec).map((layer) => ({
      ...layer,
      weights: params.subarray(layer.weightOffset, layer.biasOffset),
      bias: params.subarray(layer.biasOffset, layer.biasOffset + layer.outSize),
      weightGrads: this.grads.subarray(layer.weightOffset, layer.biasOffset),
      biasGrads: this.grads.subarray(layer.biasOffset, layer.biasOffset + layer.outSize),
    }));
    [this.activate, this.mulActivationGrad] = activationKernels(spec.activation);
  }

  forward(input: Float32Array, batch: number): Float32Array {
    checkForwardArgs(this.spec, input, batch);
    this.ensureCapacity(batch);
    this.batch = batch;
    const x0 = this.activations[0];
    for (let i = 0, n = batch * this.spec.inputSize; i < n; i++) x0[i] = input[i]; // no subarray view to allocate
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const layer = this.layers[l],
        x = this.activations[l],
        y = this.activations[l + 1];
      this.gemm.matMulAddBias(x, layer.weights, layer.bias, y, batch, layer.inSize, layer.outSize);
      if (l < last) this.activate(y, batch * layer.outSize);
    }
    let view = this.outputViews.get(batch);
    if (!view) {
      view = this.activations[last + 1].subarray(0, batch * this.spec.outputSize);
      this.outputViews.set(batch, view);
    }
    return view;
  }

  backward(dOutput: Float32Array): void {
    const batch = this.batch;
    checkBackwardArgs(this.spec, batch, dOutput);
    let delta = dOutput;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l],
        x = this.activations[l];
      this.gemm.addMatMulTransposedA(x, delta, layer.weightGrads, layer.inSize, batch, layer.outSize);
      addColumnSums(delta, layer.biasGrads, batch, layer.outSize);
      if (l === 0) break; // the input gradient is never needed
      const dx = this.deltas[l % 2];
      this.gemm.matMulTransposedB(delta, layer.weights, dx, batch, layer.outSize, layer.inSize);
      this.mulActivationGrad(x, dx, batch * layer.inSize);
      delta = dx;
    }
  }

  /** Backward without the weight gradients: dx = dz·Wᵀ through every layer, act' read off the stored outputs. */
  inputGradient(dOutput: Float32Array, dInput: Float32Array): void {
    const batch = this.batch;
    checkInputGradientArgs(this.spec, batch, dOutput, dInput);
    let delta = dOutput;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const dx = l === 0 ? dInput : this.deltas[l % 2];
      this.gemm.matMulTransposedB(delta, layer.weights, dx, batch, layer.outSize, layer.inSize);
      if (l > 0) this.mulActivationGrad(this.activations[l], dx, batch * layer.inSize);
      delta = dx;
    }
  }

  /**
   * Forward mode through the layers of the last forward: with t_l the tangent of layer l's input
   * (t_0 = 0: the input does not depend on the parameters), the pre-activation tangent is
   * dz = x_l·dW_l + db_l + t_l·W_l, and t_{l+1} = act'(z) ⊙ dz, act' read off the stored outputs.
   */
  jvp(tangent: Float32Array): Float32Array {
    const batch = this.batch;
    checkJvpArgs(batch, tangent, this.params.length);
    const widest = Math.max(...this.layers.map((layer) => layer.outSize));
    if (this.jvpScratch.length < batch * widest) {
      const size = this.capacity * widest;
      this.tangents = [new Float32Array(size), new Float32Array(size)];
      this.jvpScratch = new Float32Array(size);
      this.zeroBias = new Float32Array(widest);
    }
    const last = this.layers.length - 1;
    let t: Float32Array | null = null;
    for (let l = 0; l <= last; l++) {
      const layer = this.layers[l],
        x = this.activations[l],
        dz = this.tangents[l % 2];
      const { inSize, outSize, weightOffset, biasOffset } = layer;
      const dWeights = tangent.subarray(weightOffset, biasOffset),
        dBias = tangent.subarray(biasOffset, biasOffset + outSize);
      this.gemm.matMulAddBias(x, dWeights, dBias, dz, batch, inSize, outSize);
      if (t) {
        const product = this.jvpScratch;
        this.gemm.matMulAddBias(t, layer.weights, this.zeroBias, product, batch, inSize, outSize);
        for (let i = 0, n = batch * outSize; i < n; i++) dz[i] += product[i];
      }
      if (l < last) this.mulActivationGrad(this.activations[l + 1], dz, batch * outSize);
      t = dz;
    }
    return (t as Float32Array).subarray(0, batch * this.spec.outputSize);
  }

  zeroGrads(): void {
    this.grads.fill(0);
  }

  paramsChanged(): void {
    // The kernels read `params` directly: nothing to refresh.
  }

  dispose(): void {
    this.activations = [];
    this.deltas = [];
    this.tangents = [];
    this.jvpScratch = new Float32Array(0);
    this.outputViews.clear();
    this.capacity = 0;
    this.batch = 0;
  }

  private ensureCapacity(batch: number): void {
    if (batch <= this.capacity) return;
    const { inputSize, hiddenSizes, outputSize } = this.spec;
    const widest = Math.max(0, ...hiddenSizes);
    this.activations = [inputSize, ...hiddenSizes, outputSize].map((size) => new Float32Array(batch * size));
    this.deltas = [new Float32Array(batch * widest), new Float32Array(batch * widest)];
    this.jvpScratch = new Float32Array(0); // jvp reallocates its buffers for the new capacity
    this.outputViews.clear();
    this.capacity = batch;
  }
}

type ActivationKernels = [activate: (x: Float32Array, count: number) => void, mulGrad: (y: Float32Array, dx: Float32Array, count: number) => void];

function activationKernels(activation: Activation): ActivationKernels {
  switch (activation) {
    case 'tanh':
      return [tanhInPlace, mulTanhGrad];
    case 'relu':
      return [reluInPlace, mulReluGrad];
  }
}
