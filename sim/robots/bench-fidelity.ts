/**
 * How close a robot's physics is to MuJoCo's, and what it costs, for solver settings other than
 * the env's: the physics decision behind each robot's timestep, frame skip and solver iterations.
 *
 *   npm run bench:fidelity -- --env HalfCheetah-v0 --trajectory /tmp/half_cheetah.jsonl [--setting 3x8x4 ...] [--detail]
 *
 * A setting is `frameSkip x substeps x pgs`: the env's dt split into frameSkip physics steps of
 * Rapier's, each of `substeps` solver iterations with `pgs` PGS sweeps, optionally followed by
 * `+substeps x pgs` for the steps that start at a joint limit (sim/mjcf's limitSolver); the env's
 * own setting when none is given. For each it prints, as JSON:
 * - one_step_error: MuJoCo's trajectory under random controls (sim/robots/reference/mujoco-trajectory.c,
 *   Gymnasium's model and frame skip) replayed one env step at a time: our model is set to MuJoCo's
 *   state, steps with MuJoCo's control, and lands this far from MuJoCo's next state, as the RMS error
 *   over the transitions relative to the RMS change of the state in one step (qpos and qvel apart;
 *   0 = MuJoCo's step exactly, 1 = as far off as not moving at all). The floor is the models'
 *   differences (hard vs soft limits and contacts), not the step size. `--detail` adds the error
 *   of each coordinate, named by joint.
 * - worst_limit_excess: sim/robots/physics.test.ts's joint-limit protocol at the model (10,000 env
 *   steps of uniform random controls, a reset to qpos0 every 1000, joints that start outside their
 *   range skipped for 1 s), the same as limit-overshoot.c measures for MuJoCo.
 * - env_steps_per_s: the model stepped frameSkip times per env step with qpos/qvel read back, per CPU
 *   second (bench:sim's "loader" figure, without the env's own work).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng } from '../core/rng.ts';
import { loadMjcf, type MjcfLoadOptions, type MjcfModel, type SolverSettings } from '../mjcf/index.ts';
import { EPISODE, rate } from './bench-timing.ts';
import { ROBOT_ENVS } from './index.ts';
import { LimitExcessTracker } from './limit-excess.ts';
import { robotLoadOptions, type RobotEnvConfig } from './mujoco-env.ts';
import { initPhysics, robotModelXml } from './physics.ts';

interface Setting {
  frameSkip: number;
  substeps: number;
  pgs: number;
  limitSolver?: SolverSettings;
}

interface Transition {
  reset: boolean;
  qpos: number[];
  qvel: number[];
  ctrl: number[];
}

const LIMIT_STEPS = 10_000;
const round = (x: number, digits: number) => Number(x.toFixed(digits));

function parseSetting(text: string): Setting {
  const match = /^([1-9]\d*)x([1-9]\d*)x([1-9]\d*)(?:\+([1-9]\d*)x([1-9]\d*))?$/.exec(text);
  if (!match) {
    throw new Error(
      `bench:fidelity: --setting must be frameSkip x substeps x pgs (positive integers, e.g. 3x8x4), optionally + substeps x pgs at limits (3x8x4+8x16), got "${text}"`,
    );
  }
  const [, frameSkip, substeps, pgs, limitSubsteps, limitPgs] = match;
  return {
    frameSkip: Number(frameSkip),
    substeps: Number(substeps),
    pgs: Number(pgs),
    limitSolver: limitSubsteps ? { solverIterations: Number(limitSubsteps), pgsIterations: Number(limitPgs) } : undefined,
  };
}

/** A setting as text, e.g. 3x8x4+8x16. */
function settingText(frameSkip: number, options: MjcfLoadOptions): string {
  const limit = options.limitSolver ? `+${options.limitSolver.solverIterations}x${options.limitSolver.pgsIterations}` : '';
  return `${frameSkip}x${options.solverIterations ?? 8}x${options.pgsIterations ?? 4}${limit}`;
}

function load(config: RobotEnvConfig, setting: Setting): MjcfModel {
  return loadMjcf(robotModelXml(config.modelFile, config.id), {
    timestep: config.dtSeconds / setting.frameSkip,
    solverIterations: setting.substeps,
    pgsIterations: setting.pgs,
    limitSolver: setting.limitSolver,
  });
}

function readTrajectory(file: string, model: MjcfModel): Transition[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`bench:fidelity: cannot read --trajectory ${file} (${(error as Error).message}); record one with sim/robots/reference/mujoco-trajectory.c`);
  }
  return text
    .trim()
    .split('\n')
    .map((line, i) => {
      let t: Transition;
      try {
        t = JSON.parse(line) as Transition;
      } catch {
        throw new Error(`bench:fidelity: ${file} line ${i + 1} is not JSON: record the trajectory with mujoco-trajectory.c`);
      }
      if (t.qpos?.length !== model.nq || t.qvel?.length !== model.nv || t.ctrl?.length !== model.nu) {
        throw new Error(
          `bench:fidelity: ${file} line ${i + 1} is not a state of ${model.name} (nq ${model.nq}, nv ${model.nv}, nu ${model.nu}): record it with mujoco-trajectory.c on the same robot`,
        );
      }
      return t;
    });
}

/**
 * RMS one-env-step error against MuJoCo, relative to the RMS one-step change (qpos, qvel), over
 * all coordinates and, with `detail`, per coordinate (named by joint).
 */
function oneStepError(model: MjcfModel, setting: Setting, trajectory: readonly Transition[], detail: boolean) {
  const qposError = new Float64Array(model.nq),
    qposChange = new Float64Array(model.nq),
    qvelError = new Float64Array(model.nv),
    qvelChange = new Float64Array(model.nv);
  const q = new Float64Array(model.nq),
    v = new Float64Array(model.nv);
  for (let t = 0; t + 1 < trajectory.length; t++) {
    const now = trajectory[t],
      next = trajectory[t + 1];
    if (next.reset) continue;
    model.setState(now.qpos, now.qvel);
    for (let k = 0; k < setting.frameSkip; k++) model.step(now.ctrl);
    model.qpos(q);
    model.qvel(v);
    for (let i = 0; i < q.length; i++) {
      qposError[i] += (q[i] - next.qpos[i]) ** 2;
      qposChange[i] += (next.qpos[i] - now.qpos[i]) ** 2;
    }
    for (let i = 0; i < v.length; i++) {
      qvelError[i] += (v[i] - next.qvel[i]) ** 2;
      qvelChange[i] += (next.qvel[i] - now.qvel[i]) ** 2;
    }
  }
  const sum = (x: Float64Array) => x.reduce((a, b) => a + b, 0);
  const relative = (error: number, change: number) => round(Math.sqrt(error / change), 3);
  const perCoordinate = (error: Float64Array, change: Float64Array, index: 'qposIndex' | 'qvelIndex') =>
    Object.fromEntries(
      model.joints.flatMap((j) => {
        const size = index === 'qposIndex' ? { free: 7, hinge: 1, slide: 1 }[j.type] : { free: 6, hinge: 1, slide: 1 }[j.type];
        return Array.from({ length: size }, (_, k) => {
          const i = j[index] + k;
          return [size > 1 ? `${j.name}[${k}]` : j.name, change[i] > 0 ? relative(error[i], change[i]) : null];
        });
      }),
    );
  return {
    qpos: relative(sum(qposError), sum(qposChange)),
    qvel: relative(sum(qvelError), sum(qvelChange)),
    ...(detail
      ? { qpos_per_coordinate: perCoordinate(qposError, qposChange, 'qposIndex'), qvel_per_coordinate: perCoordinate(qvelError, qvelChange, 'qvelIndex') }
      : {}),
  };
}

function worstLimitExcess(model: MjcfModel, config: RobotEnvConfig, setting: Setting) {
  const rng = Rng.fromSeed(11);
  const ctrl = new Float64Array(model.nu);
  const q = new Float64Array(model.nq);
  model.reset();
  const tracker = new LimitExcessTracker(model.joints, model.qpos(), config.dtSeconds);
  for (let t = 0; t < LIMIT_STEPS; t++) {
    if (t % EPISODE === 0) model.reset();
    for (let i = 0; i < ctrl.length; i++) ctrl[i] = rng.uniformRange(config.actionRange[0], config.actionRange[1]);
    for (let k = 0; k < setting.frameSkip; k++) model.step(ctrl);
    tracker.observe(model.qpos(q), t % EPISODE);
  }
  return { worst_limit_excess: round(tracker.worst.excess, 3), worst_joint: tracker.worst.where };
}

function speed(model: MjcfModel, config: RobotEnvConfig, setting: Setting, seconds: number): number {
  const rng = Rng.fromSeed(1);
  const ctrl = new Float64Array(model.nu);
  const q = new Float64Array(model.nq),
    v = new Float64Array(model.nv);
  model.reset();
  const { cpu } = rate(
    seconds,
    () => {
      for (let i = 0; i < ctrl.length; i++) ctrl[i] = rng.uniformRange(config.actionRange[0], config.actionRange[1]);
      for (let k = 0; k < setting.frameSkip; k++) model.step(ctrl);
      model.qpos(q);
      model.qvel(v);
    },
    () => model.reset(),
  );
  return Math.round(cpu);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      trajectory: { type: 'string' },
      setting: { type: 'string', multiple: true },
      seconds: { type: 'string', default: '2' },
      detail: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const robots = ROBOT_ENVS.map(({ config }) => config);
  const config = robots.find((c) => c.id === values.env);
  if (!config) throw new Error(`bench:fidelity: --env must name a robot (${robots.map((c) => c.id).join(', ')}), got "${values.env ?? ''}"`);
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new Error(`bench:fidelity: --seconds must be a positive number, got "${values.seconds}"`);
  const own = settingText(config.frameSkip, robotLoadOptions(config));
  const settings = values.setting ?? [own];
  await initPhysics();
  const results = [];
  for (const text of settings) {
    const setting = parseSetting(text);
    const model = load(config, setting);
    const trajectory = values.trajectory ? readTrajectory(values.trajectory, model) : null;
    results.push({
      setting: text,
      env_default: text === own,
      timestep: round(model.timestep, 6),
      one_step_error: trajectory ? oneStepError(model, setting, trajectory, values.detail ?? false) : null,
      ...worstLimitExcess(model, config, setting),
      env_steps_per_s: speed(model, config, setting, seconds),
    });
    model.dispose();
  }
  const what = `${config.id}: one-env-step error against MuJoCo (relative RMS, qpos / qvel), worst joint-limit excess (rad or m) over ${LIMIT_STEPS} random env steps, env steps per CPU second of the model`;
  console.log(JSON.stringify({ what, env: config.id, trajectory: values.trajectory ?? null, results }, null, 1));
}

try {
  await main();
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 2;
}
