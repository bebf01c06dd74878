/**
 * The fused engine's large products on tfjs-backend-wasm's BatchMatMul (XNNPACK's SIMD GEMM), the
 * small ones on our TypeScript kernels. V8 does not vectorize our kernels; XNNPACK's f32x4 GEMM does
 * a [1024, 348] x [348, 64] product (the humanoid's first layer at a minibatch of 1024) in ~1.9 ms
 * against our 16 ms, upload and read-back included. Each call uploads both matrices and XNNPACK packs
 * the weights anew, work that only a batch of 16-32 rows or more repays: acting on a few
 * observations stays on our kernels (BENCHMARKS.md, "XNNPACK for the fused engine's large products").
 *
 * The kernel is called directly on the wasm backend's instance, not through tfjs's engine: no tensor
 * bookkeeping per call, and whichever backend tfjs itself is set to does not matter. Its transposed
 * forms skip XNNPACK (15-21 ms at 256x256), so Wᵀ and Xᵀ are transposed here (O(n²) against the
 * product's O(n³)). WebAssembly fixes float32 arithmetic bit for bit, so results repeat on any machine;
 * they differ from the TypeScript kernels' in the last bits (float32 sums instead of float64).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { addMatMulTransposedA, matMulAddBias, matMulTransposedB, type Gemm } from './kernels.ts';

/** Products of fewer multiply-adds, or of a batch of fewer rows, stay on the TypeScript kernels. */
export const XNNPACK_MIN_MACS = 1 << 16;
export const XNNPACK_MIN_ROWS = 32;

/** Registers tfjs-backend-wasm with tfjs, its .wasm binaries read from the package's folder (as Node needs). */
export async function importTfjsWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
}

/** Initializes tfjs-backend-wasm once, leaving tfjs's own backend as it was. */
export async function loadXnnpackGemm(minMacs = XNNPACK_MIN_MACS, minRows = XNNPACK_MIN_ROWS): Promise<XnnpackGemm> {
  const tf = await import('@tensorflow/tfjs-core');
  if (!tf.findBackend('wasm')) {
    await importTfjsWasm();
    const previous = tf.engine().backendName;
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm failed to initialize');
    if (previous && previous !== 'wasm') await tf.setBackend(previous);
  }
  const backend = tf.findBackend('wasm') as BackendWasm;
  return new XnnpackGemm(backend, tf.getKernel('BatchMatMul', 'wasm').kernelFunc, minMacs, minRows);
}

export class XnnpackGemm implements Gemm {
  /** Transposes of a weight or input matrix, grown to the largest seen. */
  private scratch = new Float32Array(0);

  constructor(
    private readonly backend: BackendWasm,
    private readonly batchMatMul: KernelFunc,
    readonly minMacs: number,
    readonly minRows: number,
  ) {}

  /** Whether a product of `rows` batch rows and `macs` multiply-adds repays XNNPACK's call. */
  private worthIt(rows: number, macs: number): boolean {
    return rows >= this.minRows && macs >= this.minMacs;
  }

  matMulAddBias(a: Float32Array, b: Float32Array, bias: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    if (!this.worthIt(m, m * k * n)) return matMulAddBias(a, b, bias, c, m, k, n);
    this.product(a, b, m, k, n, (out) => {
      for (let i = 0, q = 0; i < m; i++) for (let j = 0; j < n; j++, q++) c[q] = out[q] + bias[j];
    });
  }

  matMulTransposedB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    if (!this.worthIt(m, m * k * n)) return matMulTransposedB(a, b, c, m, k, n);
    this.product(a, this.transpose(b, n, k), m, k, n, (out) => c.set(out));
  }

  addMatMulTransposedA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    if (!this.worthIt(k, m * k * n)) return addMatMulTransposedA(a, b, c, m, k, n);
    this.product(this.transpose(a, k, m), b, m, k, n, (out) => {
      for (let i = 0, size = m * n; i < size; i++) c[i] += out[i];
    });
  }

  /** Hands `use` a heap view of a[M, K] · b[K, N], valid only during the call. */
  private product(a: Float32Array, b: Float32Array, m: number, k: number, n: number, use: (out: Float32Array) => void): void {
    const { backend } = this;
    const left = this.upload(a, [m, k]);
    const right = this.upload(b, [k, n]);
    const out = this.batchMatMul({ inputs: { a: left, b: right }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    try {
      use(backend.typedArrayFromHeap(out) as Float32Array);
    } finally {
      for (const info of [left, right, out]) backend.disposeData(info.dataId);
    }
  }

  private upload(values: Float32Array, shape: [number, number]): TensorInfo {
    return { dataId: this.backend.write(values.subarray(0, shape[0] * shape[1]), shape, 'float32'), shape, dtype: 'float32' };
  }

  /** x[R, C] -> a scratch [C, R], 8x8 blocks at a time so both sides stay in cache. */
  private transpose(x: Float32Array, rows: number, cols: number): Float32Array {
    if (this.scratch.length < rows * cols) this.scratch = new Float32Array(rows * cols);
    const t = this.scratch;
    for (let i0 = 0; i0 < rows; i0 += 8) {
      const i1 = Math.min(i0 + 8, rows);
      for (let j0 = 0; j0 < cols; j0 += 8) {
        const j1 = Math.min(j0 + 8, cols);
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) t[j * rows + i] = x[i * cols + j];
      }
    }
    return t;
  }
}
