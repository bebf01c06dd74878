/**
 * Picks the engine the networks run on. tfjs is loaded only when a tfjs backend is asked for, and
 * the tfjs-node packages only when installed: they download libtensorflow at install time, so they
 * are not dependencies and are imported by a computed name (TypeScript never needs their types).
 */
import type { Mlp, MlpSpec } from './mlp.ts';
import { orthogonalInit } from './mlp.ts';
import { FusedMlp } from './fused-mlp.ts';
import { typescriptGemm, type Gemm } from './kernels.ts';
import { importTfjsWasm, loadXnnpackGemm } from './xnnpack-gemm.ts';

export const BACKEND_REQUESTS = ['auto', 'fused', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];
export type BackendName = Exclude<BackendRequest, 'auto'>;

export interface NnBackend {
  name: BackendName;
  /** One line for logs and run.json, with versions. */
  describe: string;
  /** A network with CleanRL's orthogonal init drawn from `uniform` (uniform on [0, 1)). */
  createMlp(spec: MlpSpec, uniform: () => number): Mlp;
}

const TFJS_NODE_PACKAGES = { 'tensorflow-gpu': '@tensorflow/tfjs-node-gpu', tensorflow: '@tensorflow/tfjs-node' } as const;

/**
 * 'auto' takes tfjs-node-gpu, then tfjs-node, when installed and loadable, else `fused`, not tfjs's
 * wasm or cpu backends. Measured on our 2-core CPU machine, one thread each (mlp.bench.ts): a PPO
 * minibatch step (actor and critic 2x64 tanh, forward + backward + Adam, batch 64, obs 3) takes
 * 0.96 ms fused, 2.4 ms tfjs-wasm, 7.8 ms tfjs-cpu; acting on one observation 9 µs, 66 µs, 92 µs.
 * (tfjs-wasm's SIMD forward alone is faster at batch 64, 113 against 165 µs; its per-op dispatch
 * and autodiff are what lose.)
 */
export async function selectBackend(requested: BackendRequest): Promise<NnBackend> {
  switch (requested) {
    case 'fused':
      return await fusedBackend();
    case 'cpu':
    case 'wasm':
      return tfjsBackend(requested);
    case 'tensorflow':
    case 'tensorflow-gpu':
      return tfjsNodeBackend(requested);
    case 'auto':
      for (const name of ['tensorflow-gpu', 'tensorflow'] as const) {
        try {
          return await tfjsNodeBackend(name);
        } catch {
          // Not installed or its native library does not load here: try the next one.
        }
      }
      return await fusedBackend();
    default:
      throw new Error(`unknown backend "${String(requested)}"; expected one of ${BACKEND_REQUESTS.join(', ')}`);
  }
}

/**
 * Our kernels, with tfjs-backend-wasm's XNNPACK GEMM for the large products (xnnpack-gemm.ts); our
 * kernels alone where the wasm binary cannot load.
 */
async function fusedBackend(): Promise<NnBackend> {
  let gemm: Gemm = typescriptGemm;
  let describe = "fused: GaitLab's own float32 kernels on the CPU, one thread";
  try {
    const xnnpack = await loadXnnpackGemm();
    gemm = xnnpack;
    describe += `, XNNPACK (tfjs-backend-wasm) for products of >= ${xnnpack.minMacs} multiply-adds over >= ${xnnpack.minRows} rows`;
  } catch (error) {
    describe += ` (tfjs-backend-wasm did not load: ${(error as Error).message})`;
  }
  return { name: 'fused', describe, createMlp: (spec, uniform) => new FusedMlp(spec, orthogonalInit(spec, uniform), gemm) };
}

/** tfjs's own cpu or wasm backend, shipped as dependencies. */
async function tfjsBackend(name: 'cpu' | 'wasm'): Promise<NnBackend> {
  const tf = await import('@tensorflow/tfjs-core');
  if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    await importTfjsWasm();
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend "${name}" failed to initialize`);
  return tfjsEngine(name, `tfjs ${tf.version_core} ${name} backend`);
}

/** tfjs-node(-gpu): libtensorflow through a native addon; registers the backend named 'tensorflow'. */
async function tfjsNodeBackend(name: 'tensorflow' | 'tensorflow-gpu'): Promise<NnBackend> {
  const pkg: string = TFJS_NODE_PACKAGES[name];
  let version: string;
  try {
    const loaded = (await import(pkg)) as { version?: Record<string, string> };
    version = loaded.version?.['tfjs-node'] ?? 'unknown version';
  } catch (cause) {
    throw new Error(
      `backend "${name}" needs ${pkg}, which is not installed or does not load here (${(cause as Error).message}). ` +
        `Install it with \`npm install ${pkg}\` (it downloads libtensorflow at install time), or use --backend fused.`,
      { cause },
    );
  }
  const tf = await import('@tensorflow/tfjs-core');
  if (!tf.findBackend('tensorflow')) {
    throw new Error(`${pkg} loaded but registered no backend with our @tensorflow/tfjs-core ${tf.version_core}: install the ${pkg} version that matches it`);
  }
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but its backend failed to initialize`);
  return tfjsEngine(name, `${pkg} ${version} (libtensorflow)`);
}

async function tfjsEngine(name: BackendName, describe: string): Promise<NnBackend> {
  const { TfjsMlp } = await import('./tfjs-mlp.ts');
  return { name, describe, createMlp: (spec, uniform) => new TfjsMlp(spec, orthogonalInit(spec, uniform)) };
}
