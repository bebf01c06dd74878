import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { FusedMlp } from './fused-mlp.ts';
import { typescriptGemm } from './kernels.ts';
import { orthogonalInit, type MlpSpec } from './mlp.ts';
import { loadXnnpackGemm, XNNPACK_MIN_MACS, XNNPACK_MIN_ROWS } from './xnnpack-gemm.ts';
import { randomArray, relativeError, seededUniform } from '../numeric.test-support.ts';

describe('XnnpackGemm', () => {
  it('computes the three dense-layer products as the TypeScript kernels do, to float32 rounding', async () => {
    const xnnpack = await loadXnnpackGemm(0, 0); // every product on XNNPACK, however small
    const uniform = seededUniform(5);
    for (const [m, k, n] of [
      [1, 1, 1],
      [7, 13, 5],
      [64, 17, 64],
      [130, 348, 65],
    ]) {
      const a = randomArray(m * k, uniform),
        b = randomArray(k * n, uniform),
        bias = randomArray(n, uniform),
        aT = randomArray(k * m, uniform),
        bT = randomArray(n * k, uniform),
        dz = randomArray(k * n, uniform);
      const shape = `${m}x${k}x${n}`;
      const pair = () => [new Float32Array(m * n), new Float32Array(m * n)];

      const [forward, forwardTs] = pair();
      xnnpack.matMulAddBias(a, b, bias, forward, m, k, n);
      typescriptGemm.matMulAddBias(a, b, bias, forwardTs, m, k, n);
      expect(relativeError(forward, forwardTs), shape).toBeLessThan(1e-6);

      const [inputGrad, inputGradTs] = pair();
      xnnpack.matMulTransposedB(a, bT, inputGrad, m, k, n);
      typescriptGemm.matMulTransposedB(a, bT, inputGradTs, m, k, n);
      expect(relativeError(inputGrad, inputGradTs), shape).toBeLessThan(1e-6);

      // accumulates into what is there, as a weight gradient over two minibatch halves would
      const start = randomArray(m * n, uniform);
      const [weightGrad, weightGradTs] = [start.slice(), start.slice()];
      xnnpack.addMatMulTransposedA(aT, dz, weightGrad, m, k, n);
      typescriptGemm.addMatMulTransposedA(aT, dz, weightGradTs, m, k, n);
      expect(relativeError(weightGrad, weightGradTs), shape).toBeLessThan(1e-6);
      expect(weightGrad).not.toEqual(start);
    }
  });

  it('gives the same bits on every call, and leaves small products to the TypeScript kernels', async () => {
    const xnnpack = await loadXnnpackGemm();
    const uniform = seededUniform(6);
    const [m, k, n] = [256, 64, 64]; // 2^20 multiply-adds: on XNNPACK
    const a = randomArray(m * k, uniform),
      b = randomArray(k * n, uniform),
      bias = randomArray(n, uniform);
    const first = new Float32Array(m * n),
      again = new Float32Array(m * n),
      ours = new Float32Array(m * n);
    xnnpack.matMulAddBias(a, b, bias, first, m, k, n);
    xnnpack.matMulAddBias(a, b, bias, again, m, k, n);
    typescriptGemm.matMulAddBias(a, b, bias, ours, m, k, n);
    expect(again).toEqual(first);
    expect(first).not.toEqual(ours); // float32 sums: it really ran on XNNPACK

    // Below XNNPACK_MIN_MACS, or a batch of few rows (acting): bit for bit our kernels'.
    for (const [rows, inner, cols] of [
      [XNNPACK_MIN_ROWS, 32, 32],
      [XNNPACK_MIN_ROWS - 1, 64, 64],
    ]) {
      expect(rows * inner * cols < XNNPACK_MIN_MACS || rows < XNNPACK_MIN_ROWS).toBe(true);
      const viaGemm = new Float32Array(rows * cols),
        direct = new Float32Array(rows * cols);
      xnnpack.matMulAddBias(a, b, bias, viaGemm, rows, inner, cols);
      typescriptGemm.matMulAddBias(a, b, bias, direct, rows, inner, cols);
      expect(viaGemm).toEqual(direct);
    }
    // The weight gradient's batch is its inner dimension: few rows there stay on our kernels too.
    const dW = new Float32Array(64 * 64),
      dWTs = new Float32Array(64 * 64);
    xnnpack.addMatMulTransposedA(a, b, dW, 64, XNNPACK_MIN_ROWS - 1, 64);
    typescriptGemm.addMatMulTransposedA(a, b, dWTs, 64, XNNPACK_MIN_ROWS - 1, 64);
    expect(dW).toEqual(dWTs);
  });

  it("leaves tfjs's own backend as it was", async () => {
    await tf.setBackend('cpu');
    await loadXnnpackGemm();
    expect(tf.getBackend()).toBe('cpu');
  });

  it('trains a fused network with large layers to the same gradients as the TypeScript kernels', async () => {
    const xnnpack = await loadXnnpackGemm();
    const spec: MlpSpec = { inputSize: 348, hiddenSizes: [64, 64], outputSize: 17, activation: 'tanh', hiddenGain: Math.SQRT2, outputGain: 0.01 };
    const params = orthogonalInit(spec, seededUniform(7));
    const uniform = seededUniform(8);
    const batch = 1024;
    const input = randomArray(batch * spec.inputSize, uniform, 2);
    const dOutput = randomArray(batch * spec.outputSize, uniform);
    const nets = [new FusedMlp(spec, params.slice(), xnnpack), new FusedMlp(spec, params.slice())];
    const [outXnn, outTs] = nets.map((net) => net.forward(input, batch).slice());
    expect(relativeError(outXnn, outTs)).toBeLessThan(1e-5);
    for (const net of nets) net.backward(dOutput);
    expect(relativeError(nets[0].grads, nets[1].grads)).toBeLessThan(1e-5);
  });
});
