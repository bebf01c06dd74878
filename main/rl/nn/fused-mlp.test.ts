import { describe, expect, it } from 'vitest';
import type { MlpSpec } from './mlp.ts';
import { denseLayers, orthogonalInit } from './mlp.ts';
import { FusedMlp } from './fused-mlp.ts';
import { randomArray, randomMlpSpec, relativeError, seededUniform } from '../numeric.test-support.ts';

/** Float64 reference forward: input [B, in] -> [B, out], with Math.tanh. */
function referenceForward(spec: MlpSpec, params: ArrayLike<number>, input: Float32Array, batch: number): Float64Array {
  let h = Float64Array.from(input.subarray(0, batch * spec.inputSize));
  const layers = denseLayers(spec);
  layers.forEach((layer, l) => {
    const y = new Float64Array(batch * layer.outSize);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < layer.outSize; j++) {
        let s = params[layer.biasOffset + j];
        for (let k = 0; k < layer.inSize; k++) s += h[b * layer.inSize + k] * params[layer.weightOffset + k * layer.outSize + j];
        const hidden = l < layers.length - 1;
        y[b * layer.outSize + j] = !hidden ? s : spec.activation === 'tanh' ? Math.tanh(s) : Math.max(0, s);
      }
    }
    h = y;
  });
  return h;
}

/** Central finite differences of sum(output ⊙ dOutput) w.r.t. every parameter, in float64. */
function finiteDifferenceGrads(spec: MlpSpec, params: Float32Array, input: Float32Array, batch: number, dOutput: Float32Array): Float64Array {
  const theta = Float64Array.from(params);
  const loss = () => referenceForward(spec, theta, input, batch).reduce((sum, y, i) => sum + y * dOutput[i], 0);
  const grads = new Float64Array(theta.length);
  const h = 1e-6;
  for (let i = 0; i < theta.length; i++) {
    const saved = theta[i];
    theta[i] = saved + h;
    const up = loss();
    theta[i] = saved - h;
    const down = loss();
    theta[i] = saved;
    grads[i] = (up - down) / (2 * h);
  }
  return grads;
}

/** A random net with nonzero biases (so their gradients and the ReLU kinks are exercised away from
 * zero), a batch of 1-6 inputs and an output gradient, drawn from `uniform` in that order. */
function randomCase(uniform: () => number, activation: 'tanh' | 'relu') {
  const spec = randomMlpSpec(uniform, 10, activation);
  const params = orthogonalInit(spec, uniform);
  for (const layer of denseLayers(spec)) params.set(randomArray(layer.outSize, uniform, 0.5), layer.biasOffset);
  const batch = 1 + Math.floor(uniform() * 6);
  const input = randomArray(batch * spec.inputSize, uniform, 2);
  const dOutput = randomArray(batch * spec.outputSize, uniform);
  return { spec, params, batch, input, dOutput, net: new FusedMlp(spec, params) };
}

describe('FusedMlp', () => {
  for (const activation of ['tanh', 'relu'] as const) {
    it(`${activation}: forward matches a float64 reference and backward matches finite differences`, () => {
      const uniform = seededUniform(activation === 'tanh' ? 1 : 2);
      for (let trial = 0; trial < 6; trial++) {
        const { spec, params, batch, input, dOutput, net } = randomCase(uniform, activation);

        const output = net.forward(input, batch);
        expect(output.length).toBe(batch * spec.outputSize);
        expect(relativeError(output, referenceForward(spec, params, input, batch))).toBeLessThan(1e-6);
        net.backward(dOutput);
        const context = `${JSON.stringify(spec)} batch ${batch}`;
        expect(relativeError(net.grads, finiteDifferenceGrads(spec, params, input, batch, dOutput)), context).toBeLessThan(1e-5);
      }
    });
  }

  for (const activation of ['tanh', 'relu'] as const) {
    it(`${activation}: jvp matches central differences of the forward along the tangent`, () => {
      const uniform = seededUniform(activation === 'tanh' ? 11 : 12);
      for (let trial = 0; trial < 6; trial++) {
        const spec = randomMlpSpec(uniform, 10, activation);
        const params = orthogonalInit(spec, uniform);
        for (const layer of denseLayers(spec)) params.set(randomArray(layer.outSize, uniform, 0.5), layer.biasOffset);
        const batch = 1 + Math.floor(uniform() * 6);
        const input = randomArray(batch * spec.inputSize, uniform, 2);
        const tangent = randomArray(params.length, uniform);
        const net = new FusedMlp(spec, params);
        net.forward(input, batch);
        const jvp = net.jvp(tangent);
        expect(jvp.length).toBe(batch * spec.outputSize);
        const h = 1e-6;
        const shifted = (sign: number) => Float64Array.from(params, (p, i) => p + sign * h * tangent[i]);
        const up = referenceForward(spec, shifted(1), input, batch),
          down = referenceForward(spec, shifted(-1), input, batch);
        const numeric = up.map((u, i) => (u - down[i]) / (2 * h));
        expect(relativeError(jvp, numeric), `${JSON.stringify(spec)} batch ${batch}`).toBeLessThan(1e-5);
      }
    });
  }

  for (const activation of ['tanh', 'relu'] as const) {
    it(`${activation}: inputGradient matches finite differences w.r.t. the input and leaves grads alone`, () => {
      const uniform = seededUniform(activation === 'tanh' ? 14 : 15);
      for (let trial = 0; trial < 6; trial++) {
        const { spec, params, batch, input, dOutput, net } = randomCase(uniform, activation);
        net.forward(input, batch);
        const dInput = new Float32Array(batch * spec.inputSize);
        net.inputGradient(dOutput, dInput);
        expect(net.grads.every((g) => g === 0)).toBe(true);
        const x = Float64Array.from(input);
        const loss = () => referenceForward(spec, params, Float32Array.from(x), batch).reduce((sum, y, i) => sum + y * dOutput[i], 0);
        const numeric = Array.from(x, (_, i) => {
          const saved = x[i],
            h = 1e-3;
          x[i] = saved + h;
          const up = loss();
          x[i] = saved - h;
          const down = loss();
          x[i] = saved;
          return (up - down) / (2 * h);
        });
        expect(relativeError(dInput, numeric), `${JSON.stringify(spec)} batch ${batch}`).toBeLessThan(1e-3);
      }
    });
  }

  const spec: MlpSpec = { inputSize: 3, hiddenSizes: [8, 8], outputSize: 2, activation: 'tanh', hiddenGain: Math.SQRT2, outputGain: 0.01 };

  it('jvp leaves the forward state for backward intact, and is linear in the tangent', () => {
    const uniform = seededUniform(13);
    const net = new FusedMlp(spec, orthogonalInit(spec, uniform));
    const input = randomArray(5 * 3, uniform),
      dOutput = randomArray(5 * 2, uniform),
      tangent = randomArray(net.params.length, uniform);
    const output = net.forward(input, 5).slice();
    net.backward(dOutput);
    const grads = net.grads.slice();
    const once = net.jvp(tangent).slice();
    expect(
      relativeError(
        net.jvp(tangent.map((v) => 3 * v)),
        once.map((v) => 3 * v),
      ),
    ).toBeLessThan(1e-6);
    net.zeroGrads();
    net.backward(dOutput);
    expect(net.grads).toEqual(grads);
    expect(net.forward(input, 5)).toEqual(output);
    // A larger batch after a jvp grows its buffers too.
    net.forward(randomArray(40 * 3, uniform), 40);
    expect(net.jvp(tangent).length).toBe(80);
  });

  it('adds into grads until zeroGrads', () => {
    const uniform = seededUniform(3);
    const net = new FusedMlp(spec, orthogonalInit(spec, uniform));
    const input = randomArray(4 * 3, uniform),
      dOutput = randomArray(4 * 2, uniform);
    net.forward(input, 4);
    net.backward(dOutput);
    const once = net.grads.slice();
    net.backward(dOutput);
    expect(net.grads).toEqual(once.map((g) => 2 * g));
    net.zeroGrads();
    expect(net.grads.every((g) => g === 0)).toBe(true);
  });

  it('gives the same results whatever batch sizes came before (buffers are reused, not stale)', () => {
    const uniform = seededUniform(4);
    const params = orthogonalInit(spec, uniform);
    const input = randomArray(64 * 3, uniform);
    const fresh = new FusedMlp(spec, params.slice());
    const expected = fresh.forward(input, 64).slice();
    const reused = new FusedMlp(spec, params.slice());
    reused.forward(randomArray(100 * 3, uniform), 100);
    reused.forward(input.subarray(0, 3), 1);
    expect(reused.forward(input, 64)).toEqual(expected);
    expect(reused.forward(input, 1)).toEqual(expected.subarray(0, 2));
  });

  it('reads the params it was given in place (the optimizer writes them)', () => {
    const uniform = seededUniform(5);
    const net = new FusedMlp(spec, orthogonalInit(spec, uniform));
    const input = randomArray(3, uniform);
    const before = net.forward(input, 1).slice();
    const lastBias = net.params.length - 1;
    net.params[lastBias] += 1;
    net.paramsChanged();
    expect(net.forward(input, 1)[1]).toBeCloseTo(before[1] + 1, 6);
  });

  it('rejects a short input, a bad batch, and backward without forward', () => {
    const net = new FusedMlp(spec, orthogonalInit(spec, seededUniform(6)));
    expect(() => net.backward(new Float32Array(2))).toThrow('backward called before forward');
    expect(() => net.jvp(new Float32Array(net.params.length))).toThrow('jvp called before forward');
    expect(() => net.forward(new Float32Array(5), 2)).toThrow('input of batch x 3 values; got batch 2, 5 values');
    expect(() => net.forward(new Float32Array(3), 0)).toThrow('batch >= 1');
    net.forward(new Float32Array(6), 2);
    expect(() => net.backward(new Float32Array(3))).toThrow('dOutput of 2 x 2 values; got 3');
    expect(() => net.jvp(new Float32Array(3))).toThrow(`a tangent of ${net.params.length} values`);
  });
});
