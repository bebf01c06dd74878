import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { MlpSpec } from './mlp.ts';
import { selectBackend } from './backend.ts';
import { seededUniform } from '../numeric.test-support.ts';

const installed = (pkg: string) => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};
const tfjsNodeInstalled = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');

const spec: MlpSpec = { inputSize: 3, hiddenSizes: [4], outputSize: 1, activation: 'tanh', hiddenGain: Math.SQRT2, outputGain: 1 };

describe('selectBackend', () => {
  it('gives the fused engine for "fused", with orthogonal init from the given uniform source', async () => {
    const backend = await selectBackend('fused');
    expect(backend.name).toBe('fused');
    expect(backend.describe).toMatch(/^fused: /);
    const a = backend.createMlp(spec, seededUniform(1));
    const b = backend.createMlp(spec, seededUniform(1));
    expect(a.params).toEqual(b.params);
    expect(a.forward(Float32Array.of(1, 2, 3), 1)).toEqual(b.forward(Float32Array.of(1, 2, 3), 1));
  });

  it.skipIf(tfjsNodeInstalled)('falls back to fused under "auto" where tfjs-node is not installed', async () => {
    expect((await selectBackend('auto')).name).toBe('fused');
  });

  it.skipIf(tfjsNodeInstalled)('names the package to install when a tfjs-node backend is requested but missing', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(/backend "tensorflow" needs @tensorflow\/tfjs-node, .*`npm install @tensorflow\/tfjs-node`/);
    await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(/needs @tensorflow\/tfjs-node-gpu, .*`npm install @tensorflow\/tfjs-node-gpu`/);
  });

  it('rejects an unknown backend name', async () => {
    await expect(selectBackend('webgpu' as never)).rejects.toThrow(
      'unknown backend "webgpu"; expected one of auto, fused, tensorflow-gpu, tensorflow, wasm, cpu',
    );
  });

  for (const name of ['cpu', 'wasm'] as const) {
    it(`loads tfjs's ${name} backend and builds networks on it`, async () => {
      const backend = await selectBackend(name);
      expect(backend.name).toBe(name);
      expect(backend.describe).toBe(`tfjs 4.22.0 ${name} backend`);
      const fused = (await selectBackend('fused')).createMlp(spec, seededUniform(2));
      const net = backend.createMlp(spec, seededUniform(2));
      expect(net.params).toEqual(fused.params);
      const output = net.forward(Float32Array.of(0.5, -1, 2), 1);
      expect(output[0]).toBeCloseTo(fused.forward(Float32Array.of(0.5, -1, 2), 1)[0], 6);
      net.dispose();
    });
  }
});
