import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MlpSpec } from './mlp.ts';
import { orthogonalInit } from './mlp.ts';
import { selectBackend } from './backend.ts';
import { FusedMlp } from './fused-mlp.ts';
import { TfjsMlp } from './tfjs-mlp.ts';
import { randomArray, randomMlpSpec, relativeError, seededUniform } from '../numeric.test-support.ts';

const spec: MlpSpec = { inputSize: 17, hiddenSizes: [64, 64], outputSize: 6, activation: 'tanh', hiddenGain: Math.SQRT2, outputGain: 0.01 };

// One describe per tfjs backend; the tfjs backend is process-global, so they run one after the other.
for (const backendName of ['cpu', 'wasm'] as const) {
  describe(`TfjsMlp on the tfjs ${backendName} backend`, () => {
    beforeAll(async () => {
      await selectBackend(backendName);
    });

    it('computes the same outputs and gradients as the fused engine from the same params', () => {
      const uniform = seededUniform(backendName === 'cpu' ? 21 : 22);
      const specs = [spec, ...Array.from({ length: 8 }, () => randomMlpSpec(uniform, 70))];
      for (const [trial, s] of specs.entries()) {
        const params = orthogonalInit(s, uniform);
        const fused = new FusedMlp(s, params.slice());
        const tfjs = new TfjsMlp(s, params.slice());
        for (const batch of [1, 1 + Math.floor(uniform() * 9), 64]) {
          const input = randomArray(batch * s.inputSize, uniform, 2);
          const dOutput = randomArray(batch * s.outputSize, uniform);
          const context = `trial ${trial} ${JSON.stringify(s)} batch ${batch}`;
          expect(relativeError(tfjs.forward(input, batch), fused.forward(input, batch)), context).toBeLessThan(1e-5);
          fused.zeroGrads();
          tfjs.zeroGrads();
          fused.backward(dOutput);
          tfjs.backward(dOutput);
          expect(relativeError(tfjs.grads, fused.grads), context).toBeLessThan(1e-5);
        }
        tfjs.dispose();
      }
    });

    it('computes the same jvp as the fused engine, leaking no tensors', () => {
      const uniform = seededUniform(backendName === 'cpu' ? 26 : 27);
      for (const s of [spec, ...Array.from({ length: 4 }, () => randomMlpSpec(uniform, 40))]) {
        const params = orthogonalInit(s, uniform);
        const fused = new FusedMlp(s, params.slice());
        const tfjs = new TfjsMlp(s, params.slice());
        for (const batch of [1, 7]) {
          const input = randomArray(batch * s.inputSize, uniform, 2);
          const tangent = randomArray(params.length, uniform);
          fused.forward(input, batch);
          tfjs.forward(input, batch);
          const tensors = tf.memory().numTensors;
          expect(relativeError(tfjs.jvp(tangent), fused.jvp(tangent)), `${JSON.stringify(s)} batch ${batch}`).toBeLessThan(1e-5);
          expect(tf.memory().numTensors).toBe(tensors);
        }
        tfjs.dispose();
      }
    });

    it('computes the same input gradient as the fused engine, leaking no tensors', () => {
      const uniform = seededUniform(backendName === 'cpu' ? 28 : 29);
      for (const s of [spec, ...Array.from({ length: 4 }, () => randomMlpSpec(uniform, 40))]) {
        const params = orthogonalInit(s, uniform);
        const fused = new FusedMlp(s, params.slice());
        const tfjs = new TfjsMlp(s, params.slice());
        for (const batch of [1, 7]) {
          const input = randomArray(batch * s.inputSize, uniform, 2);
          const dOutput = randomArray(batch * s.outputSize, uniform);
          const [fromFused, fromTfjs] = [new Float32Array(batch * s.inputSize), new Float32Array(batch * s.inputSize)];
          fused.forward(input, batch);
          fused.inputGradient(dOutput, fromFused);
          tfjs.forward(input, batch);
          const tensors = tf.memory().numTensors;
          tfjs.inputGradient(dOutput, fromTfjs);
          expect(relativeError(fromTfjs, fromFused), `${JSON.stringify(s)} batch ${batch}`).toBeLessThan(1e-5);
          expect(tf.memory().numTensors).toBe(tensors);
        }
        tfjs.dispose();
      }
    });

    it('sees new params only after paramsChanged, and adds into grads', () => {
      const uniform = seededUniform(23);
      const net = new TfjsMlp(spec, orthogonalInit(spec, uniform));
      const input = randomArray(2 * spec.inputSize, uniform);
      const dOutput = randomArray(2 * spec.outputSize, uniform);
      const before = net.forward(input, 2).slice();
      net.params[net.params.length - 1] += 1; // the last output's bias
      expect(net.forward(input, 2)).toEqual(before);
      net.paramsChanged();
      expect(net.forward(input, 2)[2 * spec.outputSize - 1]).toBeCloseTo(before[2 * spec.outputSize - 1] + 1, 5);
      net.backward(dOutput);
      const once = net.grads.slice();
      net.backward(dOutput);
      expect(
        relativeError(
          net.grads,
          once.map((g) => 2 * g),
        ),
      ).toBeLessThan(1e-6);
      net.dispose();
    });

    it('leaks no tensors over 50 forward/backward/update cycles', () => {
      const uniform = seededUniform(24);
      const net = new TfjsMlp(spec, orthogonalInit(spec, uniform));
      const input = randomArray(64 * spec.inputSize, uniform);
      const dOutput = randomArray(64 * spec.outputSize, uniform);
      net.forward(input, 64);
      net.backward(dOutput);
      const tensors = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) {
        net.forward(input, i % 2 === 0 ? 64 : 1);
        net.backward(dOutput);
        net.paramsChanged();
      }
      expect(tf.memory().numTensors).toBe(tensors);
      net.dispose();
      expect(tf.memory().numTensors).toBe(tensors - 6);
    });

    it('rejects a short input and backward without forward', () => {
      const net = new TfjsMlp(spec, orthogonalInit(spec, seededUniform(25)));
      expect(() => net.backward(new Float32Array(6))).toThrow('backward called before forward');
      expect(() => net.forward(new Float32Array(20), 2)).toThrow('input of batch x 17 values; got batch 2, 20 values');
      net.dispose();
    });
  });
}
