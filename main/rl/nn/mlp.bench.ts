/**
 * Micro-benchmark of the network engines: µs per forward, per forward + backward, and per PPO
 * minibatch step (actor and critic forward + backward and one Adam step with a global clip, as in
 * CleanRL's continuous PPO). Median of repeated timed loops after warm-up, one JSON line per case.
 *
 *   node bin/run-ts.js main/rl/nn/mlp.bench.ts [--engines fused,fused-typescript,wasm,cpu] [--hidden 64] [--batch 64] [--ppo 3x1,17x6] [--quick]
 *
 * `--hidden 256 --batch 256` is CleanRL's SAC and TD3 shape; `--batch 1024 --ppo 348x17` the humanoid
 * preset's PPO minibatch. `fused-typescript` is the fused engine without XNNPACK for its large products.
 */
import { parseArgs } from 'node:util';
import type { Mlp, MlpSpec } from './mlp.ts';
import type { BackendName, NnBackend } from './backend.ts';
import { selectBackend } from './backend.ts';
import { FusedMlp } from './fused-mlp.ts';
import { orthogonalInit } from './mlp.ts';
import { Adam } from '../adam.ts';
import { randomArray, seededUniform } from '../numeric.test-support.ts';

const { values: args } = parseArgs({
  options: {
    engines: { type: 'string', default: 'fused,wasm,cpu' },
    hidden: { type: 'string', default: '64' },
    batch: { type: 'string', default: '64' },
    ppo: { type: 'string', default: '3x1,17x6' },
    quick: { type: 'boolean', default: false },
  },
});
const engines = args.engines.split(',') as (BackendName | 'fused-typescript')[];
const ppoShapes = args.ppo.split(',').map((shape) => {
  const [obs, act] = shape.split('x').map(Number);
  if (!(obs > 0 && act > 0 && Number.isInteger(obs) && Number.isInteger(act))) throw new Error(`--ppo expects obs x action sizes such as 17x6, got "${shape}"`);
  return [obs, act] as const;
});
const hidden = Number(args.hidden);
const minibatch = Number(args.batch);
for (const [option, value] of [
  ['--hidden', args.hidden],
  ['--batch', args.batch],
]) {
  if (!(Number(value) > 0 && Number.isInteger(Number(value)))) throw new Error(`${option} expects a positive integer, got "${value}"`);
}
const targetMs = args.quick ? 20 : 200;

function spec(inputSize: number, outputSize: number, outputGain: number): MlpSpec {
  return { inputSize, hiddenSizes: [hidden, hidden], outputSize, activation: 'tanh', hiddenGain: Math.SQRT2, outputGain };
}

/** Median µs per call of `fn`, each of 11 samples a loop of ~targetMs / 5, long enough to time reliably. */
function timeMicros(fn: () => void): number {
  const warmEnd = performance.now() + targetMs;
  let calls = 0;
  while (performance.now() < warmEnd) {
    fn();
    calls++;
  }
  const perSample = Math.max(1, Math.round(calls / 5));
  const samples: number[] = [];
  for (let s = 0; s < 11; s++) {
    const t0 = performance.now();
    for (let i = 0; i < perSample; i++) fn();
    samples.push(((performance.now() - t0) * 1000) / perSample);
  }
  samples.sort((a, b) => a - b);
  return samples[5];
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Runs the engine's code paths once untimed, so the first case measured is not the one that pays for JIT. */
function warmUp(backend: NnBackend): void {
  const uniform = seededUniform(0);
  const net = backend.createMlp(spec(3, 1, 1), uniform);
  const input = randomArray(64 * 3, uniform),
    dOutput = randomArray(64, uniform);
  timeMicros(() => {
    net.forward(input, 64);
    net.backward(dOutput);
    net.forward(input, 1);
    net.backward(dOutput);
  });
  net.dispose();
}

/** The fused engine on its TypeScript kernels alone, for the comparison with XNNPACK's products. */
const fusedTypescript: NnBackend = {
  name: 'fused',
  describe: 'fused, TypeScript kernels only',
  createMlp: (s, uniform) => new FusedMlp(s, orthogonalInit(s, uniform)),
};

for (const engine of engines) {
  const backend = engine === 'fused-typescript' ? fusedTypescript : await selectBackend(engine);
  warmUp(backend);
  for (const inputSize of [3, 17]) {
    const uniform = seededUniform(1);
    const net: Mlp = backend.createMlp(spec(inputSize, 1, 1), uniform);
    for (const batch of [1, minibatch]) {
      const input = randomArray(batch * inputSize, uniform);
      const dOutput = randomArray(batch, uniform);
      const forwardUs = timeMicros(() => net.forward(input, batch));
      const forwardBackwardUs = timeMicros(() => {
        net.forward(input, batch);
        net.backward(dOutput);
      });
      console.log(
        JSON.stringify({
          engine,
          case: 'mlp',
          net: `${inputSize}-${hidden}-${hidden}-1 tanh`,
          batch,
          forwardUs: round(forwardUs),
          forwardBackwardUs: round(forwardBackwardUs),
        }),
      );
    }
    net.dispose();
  }

  for (const [obsSize, actionSize] of ppoShapes) {
    const uniform = seededUniform(2);
    const actor = backend.createMlp(spec(obsSize, actionSize, 0.01), uniform);
    const critic = backend.createMlp(spec(obsSize, 1, 1), uniform);
    const adam = new Adam([actor.params.length, critic.params.length]);
    const batch = minibatch;
    const obs = randomArray(batch * obsSize, uniform);
    const dMean = randomArray(batch * actionSize, uniform);
    const dValue = randomArray(batch, uniform);
    const minibatchStepUs = timeMicros(() => {
      actor.zeroGrads();
      critic.zeroGrads();
      actor.forward(obs, batch);
      actor.backward(dMean);
      critic.forward(obs, batch);
      critic.backward(dValue);
      // A tiny learning rate: the update's full cost, with weights that stay where they were.
      adam.step([actor.params, critic.params], [actor.grads, critic.grads], 1e-9, 0.5);
      actor.paramsChanged();
      critic.paramsChanged();
    });
    // Acting: the policy mean and the value of one observation, as the rollout does every env step.
    const actUs = timeMicros(() => {
      actor.forward(obs, 1);
      critic.forward(obs, 1);
    });
    console.log(JSON.stringify({ engine, case: 'ppo', obsSize, actionSize, minibatch: batch, minibatchStepUs: round(minibatchStepUs), actUs: round(actUs) }));
    actor.dispose();
    critic.dispose();
  }
}
