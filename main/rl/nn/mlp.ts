/**
 * The network-engine contract shared by the fused and tfjs engines, the flat parameter layout, and
 * CleanRL's orthogonal initialization. Parameters live in one Float32Array per network owned here
 * on the TypeScript side (the optimizer updates it in place), so every engine computes the same
 * function from the same seed.
 */

export type Activation = 'tanh' | 'relu';

export interface MlpSpec {
  inputSize: number;
  hiddenSizes: readonly number[];
  outputSize: number;
  activation: Activation;
  /** Orthogonal-init gain of the hidden layers (CleanRL: sqrt 2). */
  hiddenGain: number;
  /** Orthogonal-init gain of the output layer (CleanRL: 0.01 for a policy head, 1 for a value head). */
  outputGain: number;
}

export interface Mlp {
  readonly spec: MlpSpec;
  /** All weights and biases; layout in `denseLayers`. */
  readonly params: Float32Array;
  /** dLoss/dParams, same layout as `params`. */
  readonly grads: Float32Array;
  /** input [B, inputSize] -> output [B, outputSize]; valid until the next forward. Keeps what backward needs. */
  forward(input: Float32Array, batch: number): Float32Array;
  /** dOutput [B, outputSize] = dLoss/dOutput of the last forward; ADDS dLoss/dParams into `grads`. */
  backward(dOutput: Float32Array): void;
  /**
   * Forward-mode derivative of the last forward along a parameter direction: tangent [P] (the
   * layout of `params`) -> J·tangent [B, outputSize], J = dOutput/dParams at the last forward's
   * input and params. Valid until the next jvp; leaves the forward's state for backward intact.
   * (TRPO's Fisher-vector product is Jᵀ M J v: this jvp, then backward.)
   */
  jvp(tangent: Float32Array): Float32Array;
  /**
   * dOutput [B, outputSize] of the last forward -> dLoss/dInput [B, inputSize], written into
   * `dInput`; `grads` are left alone. (An actor trained through a critic needs dQ/da.)
   */
  inputGradient(dOutput: Float32Array, dInput: Float32Array): void;
  zeroGrads(): void;
  /** Tells the engine that `params` changed in place (the tfjs engine re-uploads them). */
  paramsChanged(): void;
  dispose(): void;
}

/** The engines' shared argument checks: a wrong size would otherwise read stale buffer contents silently. */
export function checkForwardArgs(spec: MlpSpec, input: Float32Array, batch: number): void {
  if (!Number.isInteger(batch) || batch < 1 || input.length < batch * spec.inputSize) {
    throw new Error(`forward needs batch >= 1 and input of batch x ${spec.inputSize} values; got batch ${batch}, ${input.length} values`);
  }
}

/** `batch` is the last forward's batch, 0 before any forward. */
export function checkBackwardArgs(spec: MlpSpec, batch: number, dOutput: Float32Array): void {
  if (batch === 0) throw new Error('backward called before forward');
  if (dOutput.length < batch * spec.outputSize) {
    throw new Error(`backward needs dOutput of ${batch} x ${spec.outputSize} values; got ${dOutput.length}`);
  }
}

/** `batch` is the last forward's batch, 0 before any forward. */
export function checkInputGradientArgs(spec: MlpSpec, batch: number, dOutput: Float32Array, dInput: Float32Array): void {
  checkBackwardArgs(spec, batch, dOutput);
  if (dInput.length < batch * spec.inputSize) throw new Error(`inputGradient needs dInput of ${batch} x ${spec.inputSize} values; got ${dInput.length}`);
}

/** `batch` is the last forward's batch, 0 before any forward; `paramCount` the length of `params`. */
export function checkJvpArgs(batch: number, tangent: Float32Array, paramCount: number): void {
  if (batch === 0) throw new Error('jvp called before forward');
  if (tangent.length !== paramCount) throw new Error(`jvp needs a tangent of ${paramCount} values (one per parameter); got ${tangent.length}`);
}

/** Where one dense layer's W [inSize][outSize] (row-major) and b [outSize] sit in the flat params. */
export interface DenseLayer {
  inSize: number;
  outSize: number;
  weightOffset: number;
  biasOffset: number;
}

/** The layers in order, each W[in][out] row-major then b[out]. */
export function denseLayers(spec: MlpSpec): DenseLayer[] {
  const sizes = [spec.inputSize, ...spec.hiddenSizes, spec.outputSize];
  const layers: DenseLayer[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inSize = sizes[l],
      outSize = sizes[l + 1];
    layers.push({ inSize, outSize, weightOffset: offset, biasOffset: offset + inSize * outSize });
    offset += (inSize + 1) * outSize;
  }
  return layers;
}

export function parameterCount(spec: MlpSpec): number {
  return denseLayers(spec).reduce((n, layer) => n + (layer.inSize + 1) * layer.outSize, 0);
}

/**
 * CleanRL's layer_init: every weight matrix orthogonal times its gain (torch.nn.init.orthogonal_),
 * biases 0. Like torch, the QR factor of a Gaussian matrix with a positive-diagonal R; Gram-Schmidt
 * in float64 does exactly that. Deterministic in `uniform` (uniform on [0, 1)), consumed layer by layer.
 */
export function orthogonalInit(spec: MlpSpec, uniform: () => number): Float32Array {
  const params = new Float32Array(parameterCount(spec));
  const layers = denseLayers(spec);
  const normal = boxMuller(uniform);
  layers.forEach((layer, l) => {
    const gain = l === layers.length - 1 ? spec.outputGain : spec.hiddenGain;
    writeOrthogonal(layer, gain, normal, params);
  });
  return params;
}

/**
 * Orthonormalizes min(in, out) Gaussian vectors of length max(in, out) and writes them as the rows
 * of W (in <= out) or its columns (in > out): W has orthonormal rows or columns, whichever are fewer.
 */
function writeOrthogonal(layer: DenseLayer, gain: number, normal: () => number, params: Float32Array): void {
  const { inSize, outSize, weightOffset } = layer;
  const count = Math.min(inSize, outSize),
    length = Math.max(inSize, outSize);
  const vectors: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    const v = new Float64Array(length);
    for (let k = 0; k < length; k++) v[k] = normal();
    // Modified Gram-Schmidt, run twice ("twice is enough") so rounding leaves no residual overlap.
    for (let pass = 0; pass < 2; pass++) {
      for (const u of vectors) {
        let dot = 0;
        for (let k = 0; k < length; k++) dot += u[k] * v[k];
        for (let k = 0; k < length; k++) v[k] -= dot * u[k];
      }
    }
    let norm = 0;
    for (let k = 0; k < length; k++) norm += v[k] * v[k];
    norm = Math.sqrt(norm);
    for (let k = 0; k < length; k++) v[k] /= norm;
    vectors.push(v);
  }
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < length; k++) {
      const [row, col] = inSize <= outSize ? [i, k] : [k, i];
      params[weightOffset + row * outSize + col] = gain * vectors[i][k];
    }
  }
}

/** Standard normal samples from a uniform [0, 1) source (Box-Muller, both outputs used). */
function boxMuller(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform())); // 1 - u lies in (0, 1]: no log(0)
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
