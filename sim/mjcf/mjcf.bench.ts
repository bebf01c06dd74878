/**
 * Physics steps per second of MJCF models under uniform random controls (resampled every env
 * step, as Gymnasium's frame_skip does), one thread, after a warm-up that lets V8 tier the
 * Rapier WASM up. Reports wall-clock and CPU-time rates (the CPU figure is steadier on a busy
 * machine). Prints JSON.
 *
 *   node bin/run-ts.js sim/mjcf/mjcf.bench.ts [--iterations N] [--pgs N] [--steps N] [model.xml ...]
 */
import RAPIER from '@dimforge/rapier3d-compat';
import { haveGymnasiumModels, readFixture, readGymnasiumModel } from '../fixtures/reference.test-support.ts';
import { loadMjcf } from './index.ts';

if (!haveGymnasiumModels('this benchmark')) process.exit(1);
/** Gymnasium v5 frame_skip per model. */
const FRAME_SKIP: Record<string, number> = {
  'hopper.xml': 4,
  'walker2d_v5.xml': 4,
  'half_cheetah.xml': 5,
  'ant.xml': 5,
  'humanoid.xml': 5,
  'reacher.xml': 2,
  'pusher_v5.xml': 5,
  'inverted_pendulum.xml': 2,
};

const args = process.argv.slice(2);
const option = (name: string): number | undefined => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : Number(args.splice(i, 2)[1]);
};
const solver = { solverIterations: option('iterations'), pgsIterations: option('pgs') }; // undefined: the loader's defaults
const steps = option('steps') ?? 20_000;
const files = args.length > 0 ? args : ['hopper.xml', 'half_cheetah.xml'];

await RAPIER.init();
const mujoco = readFixture<{ models: Record<string, { best_physics_steps_per_s?: number }> }>('mujoco_speed.json').models;

let seed = 1;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

function run(file: string, count: number, resetEvery: number) {
  const model = loadMjcf(readGymnasiumModel(file), solver);
  const { numSolverIterations: solverIterations, numInternalPgsIterations: pgsIterations } = model.world;
  const skip = FRAME_SKIP[file] ?? 1;
  const ctrl = new Float64Array(model.nu);
  const resetMs: number[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    if (i % skip === 0)
      model.actuators.forEach((a, k) => (ctrl[k] = (a.ctrlRange?.[0] ?? -1) + ((a.ctrlRange?.[1] ?? 1) - (a.ctrlRange?.[0] ?? -1)) * random()));
    model.step(ctrl);
    if ((i + 1) % resetEvery === 0) {
      const r0 = performance.now();
      model.reset();
      resetMs.push(performance.now() - r0);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const resetTotal = resetMs.reduce((a, b) => a + b, 0);
  const seconds = (performance.now() - t0 - resetTotal) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6 - resetTotal / 1000;
  model.dispose();
  return {
    solverIterations,
    pgsIterations,
    physicsStepsPerS: Math.round(count / seconds),
    cpuPhysicsStepsPerS: Math.round(count / cpuSeconds),
    resetMicros: Math.round(1000 * resetMs.sort((a, b) => a - b)[resetMs.length >> 1]), // median
  };
}

const results = files.map((file) => {
  const skip = FRAME_SKIP[file] ?? 1;
  run(file, 5000, 100); // warm-up, resets included
  // Gymnasium resets after 1000 env steps
  const { solverIterations, pgsIterations, physicsStepsPerS, cpuPhysicsStepsPerS, resetMicros } = run(file, steps, 1000 * skip);
  return {
    model: file,
    solverIterations,
    pgsIterations,
    physicsStepsPerS,
    cpuPhysicsStepsPerS,
    envStepsPerS: Math.round(physicsStepsPerS / skip),
    resetMicros,
    mujocoBestPhysicsStepsPerS: mujoco[file]?.best_physics_steps_per_s ?? null,
  };
});
console.log(JSON.stringify({ date: new Date().toISOString().slice(0, 10), node: process.version, results }, null, 1));
