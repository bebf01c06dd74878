/**
 * Simulation speed of every robot env on one core, beside MuJoCo's (../shared/reference/mjcf/
 * mujoco_speed.json), measured the same way: uniform random controls resampled every env step,
 * a reset every 1000 env steps.
 *
 *   npm run bench:sim -- [--json] [--seconds 3] [--env Hopper-v0]
 *   npm run bench:sim -- --workers 2 [--envs 8] [--seconds 3] [--env Hopper-v0]
 *
 * env_steps_per_s is per CPU second of this single-threaded process (the machine is shared, and wall
 * time would count other jobs); wall_env_steps_per_s is per wall-clock second of the same run.
 * Prints JSON (`--json` is accepted, as by the other benches, and changes nothing). Per env, where the time of one env step goes:
 * - rapier_us: inside Rapier's world.step (its own profiler), frameSkip times;
 * - loader_us: sim/mjcf's work around those steps (motor torques, reading poses, qpos/qvel);
 * - env_us: the env's own work (observation, reward terms, contact forces, healthy check);
 * - reset_us: median wall time of a reset after an episode (the time a test must not take: tests count work).
 *
 * With --workers K, it measures parallel stepping instead: a WorkerVecEnv of --envs N envs on K
 * threads (this one and K - 1 workers, each stepping N/K envs; K = 0 or 1: a SyncVecEnv in this
 * thread), random actions, episodes auto-reset as in training. env_steps_per_s is then per wall-clock second (parallelism
 * is what is measured); cpu_threads is CPU seconds (all threads) per wall second, and the JSON
 * gives the load average, since other jobs on the machine take cores from the workers.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Rng } from '../core/rng.ts';
import type { VecEnv } from '../core/vec-env.ts';
import { WorkerVecEnv } from '../core/worker-vec-env.ts';
import { makeEnv, SyncVecEnv } from '../index.ts';
import { loadMjcf } from '../mjcf/index.ts';
import { ROBOT_ENVS } from './index.ts';
import { robotLoadOptions, type MujocoEnv, type RobotEnvConfig } from './mujoco-env.ts';
import { initPhysics, robotModelXml } from './physics.ts';
import { readFixture } from '../fixtures/reference.test-support.ts';
import { cpuSeconds, EPISODE, rate } from './bench-timing.ts';

/** V8 first runs Rapier's WASM unoptimized and tiers hot functions up in the background: the first
 * seconds of a process are several times slower, so every env runs this long before any timing. */
const TIER_UP_SECONDS = 3;

interface MujocoSpeed {
  models: Record<string, { best_env_steps_per_s: number; first_sample_env_steps_per_s: number }>;
}

const SPEED_FILE: Record<string, string> = { 'walker2d.xml': 'walker2d_v5.xml', 'pusher.xml': 'pusher_v5.xml' };

function randomControl(config: RobotEnvConfig): () => Float64Array {
  const rng = Rng.fromSeed(1);
  const ctrl = new Float64Array(config.actionSize);
  return () => {
    for (let i = 0; i < ctrl.length; i++) ctrl[i] = rng.uniformRange(config.actionRange[0], config.actionRange[1]);
    return ctrl;
  };
}

function benchEnv(config: RobotEnvConfig, create: () => MujocoEnv, seconds: number) {
  const env = create();
  env.reset({ seed: 0 });
  const next = randomControl(config);
  const { cpu: envRate, wall: envWallRate } = rate(
    seconds,
    () => env.step(next()),
    () => env.reset(),
  );
  env.close();

  // The same physics without the env: the loader's model stepped frameSkip times per env step.
  const model = loadMjcf(robotModelXml(config.modelFile, config.id), robotLoadOptions(config));
  const stepModel = () => {
    const ctrl = next();
    for (let i = 0; i < config.frameSkip; i++) model.step(ctrl);
    model.qpos();
    model.qvel();
  };
  const modelRate = rate(seconds, stepModel, () => model.reset()).cpu;
  // Rapier's share of the model's time, from its profiler (wall clock inside world.step over wall
  // clock of the loop, so that other jobs on the machine inflate both alike).
  let rapierMs = 0;
  model.world.profilerEnabled = true;
  const wallStart = performance.now();
  rate(
    Math.min(1, seconds),
    () => {
      const ctrl = next();
      for (let i = 0; i < config.frameSkip; i++) {
        model.step(ctrl);
        rapierMs += model.world.timingStep();
      }
      model.qpos();
      model.qvel();
    },
    () => {
      model.reset();
      model.world.profilerEnabled = true;
    },
  );
  const rapierShare = rapierMs / (performance.now() - wallStart);
  model.dispose();

  // Reset after a full episode, as training resets (median of 100, wall clock).
  const resetEnv = create();
  resetEnv.reset({ seed: 0 });
  const resetUs: number[] = [];
  for (let i = 0; i < 100; i++) {
    for (let t = 0; t < (i === 0 ? EPISODE : 20); t++) resetEnv.step(next());
    const start = performance.now();
    resetEnv.reset();
    resetUs.push((performance.now() - start) * 1000);
  }
  resetEnv.close();
  resetUs.sort((a, b) => a - b);

  const envUs = 1e6 / envRate;
  const modelUs = 1e6 / modelRate;
  const rapierUs = rapierShare * modelUs;
  return {
    env_steps_per_s: Math.round(envRate),
    wall_env_steps_per_s: Math.round(envWallRate),
    physics_steps_per_s: Math.round(envRate * config.frameSkip),
    us_per_env_step: round(envUs),
    rapier_us: round(rapierUs),
    loader_us: round(modelUs - rapierUs),
    env_us: round(envUs - modelUs),
    reset_us: round(resetUs[50]),
    timestep: model.timestep,
    frame_skip: config.frameSkip,
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Env steps per wall-clock second of `numEnvs` envs stepped by `workers` threads (this one and workers - 1 worker threads; 0 or 1: this one alone). */
function benchVector(config: RobotEnvConfig, numEnvs: number, workers: number, seconds: number) {
  const vec: VecEnv = workers > 1 ? new WorkerVecEnv({ envId: config.id, numEnvs, workers }) : new SyncVecEnv(numEnvs, () => makeEnv(config.id));
  vec.reset(0);
  const rng = Rng.fromSeed(1);
  const actions = new Float64Array(numEnvs * config.actionSize);
  const run = (limitSeconds: number) => {
    const cpuStart = cpuSeconds(),
      wallStart = performance.now();
    let steps = 0;
    while (performance.now() - wallStart < limitSeconds * 1000) {
      for (let i = 0; i < actions.length; i++) actions[i] = rng.uniformRange(config.actionRange[0], config.actionRange[1]);
      vec.step(actions);
      steps++;
    }
    const wall = (performance.now() - wallStart) / 1000;
    return { env_steps_per_s: Math.round((steps * numEnvs) / wall), cpu_threads: round((cpuSeconds() - cpuStart) / wall) };
  };
  run(TIER_UP_SECONDS); // every thread tiers Rapier's WASM up on its own
  const result = run(seconds);
  vec.close();
  return result;
}

/** A numeric option's value, or an error that names the option and what it needs. */
function numberOption(name: string, value: string, integer: boolean, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new Error(`bench:sim: --${name} must be ${integer ? 'an integer' : 'a number'} of at least ${min}, got "${value}"`);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '3' },
      env: { type: 'string' },
      workers: { type: 'string' },
      envs: { type: 'string', default: '8' },
      json: { type: 'boolean' },
    },
  });
  const seconds = numberOption('seconds', values.seconds, false, 0.1);
  const selected = ROBOT_ENVS.filter(({ config }) => !values.env || values.env === config.id);
  if (selected.length === 0) throw new Error(`bench:sim: no robot env "${values.env}"; robots: ${ROBOT_ENVS.map(({ config }) => config.id).join(', ')}`);
  if (values.workers !== undefined) {
    const workers = numberOption('workers', values.workers, true, 0),
      numEnvs = numberOption('envs', values.envs, true, 1);
    await initPhysics();
    const envs = Object.fromEntries(selected.map(({ config }) => [config.id, benchVector(config, numEnvs, workers, seconds)]));
    const where = workers > 1 ? `${workers} threads (this one and ${workers - 1} worker threads)` : 'this thread alone (SyncVecEnv)';
    const what = `env steps per wall-clock second, ${numEnvs} envs on ${where}, random actions, auto-reset`;
    console.log(JSON.stringify({ what, workers, num_envs: numEnvs, cores: os.availableParallelism(), load_average: os.loadavg().map(round), envs }, null, 1));
    return;
  }
  const mujoco = readFixture<MujocoSpeed>('mujoco_speed.json');
  await initPhysics();
  for (const { config, create } of selected) {
    const env = create();
    env.reset();
    const next = randomControl(config);
    rate(
      TIER_UP_SECONDS / selected.length,
      () => env.step(next()),
      () => env.reset(),
    );
    env.close();
  }
  const envs: Record<string, unknown> = {};
  for (const { config, create } of selected) {
    const ours = benchEnv(config, create, seconds);
    const reference = mujoco.models[SPEED_FILE[config.modelFile] ?? config.modelFile];
    const { env_steps_per_s, ...breakdown } = ours;
    envs[config.id] = {
      env_steps_per_s,
      mujoco_env_steps_per_s: reference?.best_env_steps_per_s ?? null,
      ratio: reference ? Math.round((1000 * env_steps_per_s) / reference.best_env_steps_per_s) / 1000 : null,
      mujoco_first_sample_env_steps_per_s: reference?.first_sample_env_steps_per_s ?? null,
      ...breakdown,
    };
  }
  console.log(
    JSON.stringify({ what: 'env steps per CPU second, one thread, random actions, reset every 1000 steps; ratio = ours / MuJoCo best sample', envs }, null, 1),
  );
}

try {
  await main();
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 2;
}
